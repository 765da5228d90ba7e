#pragma once
// The element loop every optimizer step runs. Elements are updated independently, so splitting
// the range over threads never changes a result: the step is bit-identical for any thread count.
// Small parameters stay on the calling thread, where starting a parallel region costs more than
// the update itself.
#include <cstdint>

namespace aekit::detail {

inline constexpr int64_t kParallelMinElements = int64_t{1} << 15;

template <typename Body>
void for_each_element(int64_t size, const Body& body) {
  // `simd`: the arrays of one step never overlap, which the compiler cannot prove by itself.
  // The body must not branch on run-time values around a store (see adam.cpp), or the loop
  // stays scalar.
#pragma omp parallel for simd schedule(static) if (size >= kParallelMinElements)
  for (int64_t i = 0; i < size; ++i) body(i);
}

}  // namespace aekit::detail
