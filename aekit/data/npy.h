#pragma once
// NumPy .npy files (format versions 1, 2 and 3), C order only. Reading accepts the element types
// float32 ('<f4'), float64 ('<f8') and uint8 ('|u1' or '<u1'), 0 to 4 dimensions, and converts to
// float. Writing is atomic (see atomic_file.h).
#include <aekit/core/tensor.h>
#include <aekit/data/byte_matrix.h>

#include <istream>
#include <ostream>
#include <string>

namespace aekit {

enum class NpyDtype { Float32, Float64, UInt8, Int32, Int64 };

// Every defect (bad magic or header, Fortran order, unsupported dtype, truncated data, trailing
// bytes, NaN/Inf) throws InputError naming the file, or `name` for a stream.
Tensor read_npy(const std::string& path);
Tensor read_npy(std::istream& in, const std::string& name);
// As read_npy, but with `keep_bytes` uint8 data comes back as its bytes (DataValues::bytes).
DataValues read_npy_values(const std::string& path, bool keep_bytes);
DataValues read_npy_values(std::istream& in, const std::string& name, bool keep_bytes);

// UInt8 rounds to the nearest integer and clamps to [0, 255] (NaN becomes 0).
void write_npy(const std::string& path, const Tensor& t, NpyDtype dtype = NpyDtype::Float32);
void write_npy(std::ostream& out, const Tensor& t, NpyDtype dtype = NpyDtype::Float32);

}  // namespace aekit
