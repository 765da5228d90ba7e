#pragma once
// IDX files (the MNIST format): 2 zero bytes, a type code, the number of dimensions, one
// big-endian uint32 per dimension, then the elements in row-major order, big-endian.
// Files may be raw or gzip-compressed (detected by the 1f 8b magic, not by the name).
#include <aekit/core/tensor.h>
#include <aekit/data/byte_matrix.h>

#include <string>

namespace aekit {

// Reads an IDX file of type uint8, int8, int16, int32, float32 or float64 with 1 to 4 dimensions.
// Values are converted to float unchanged (pixel 255 -> 255.0f). Every defect (wrong magic,
// unknown type, truncated data, trailing bytes, NaN/Inf) throws InputError naming `path`.
Tensor read_idx(const std::string& path);

// As read_idx, but with `keep_bytes` a uint8 file's values come back as its bytes
// (DataValues::bytes) instead of floats. Same checks and messages.
DataValues read_idx_values(const std::string& path, bool keep_bytes);

}  // namespace aekit
