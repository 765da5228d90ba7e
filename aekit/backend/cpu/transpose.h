#pragma once
// dst (cols x rows) = src (rows x cols) transposed, both row-major and dense. Pure data movement,
// so every order of the copies gives the same result; in parallel from `parallel_min` elements.
// The sparse recommender's first layer transposes its weight and its weight gradient on every
// step that reads more stored entries than the layer has inputs (recsys/sparse_network.cpp): as
// a scalar element-by-element loop that was 11-15% of an I-AutoRec epoch at batch 64.
#include <cstdint>

namespace aekit::cpu {

void transpose(const float* src, int64_t rows, int64_t cols, float* dst, int64_t parallel_min);

}  // namespace aekit::cpu
