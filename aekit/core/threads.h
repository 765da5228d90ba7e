#pragma once
// The thread count used by aekit's kernels and by oneDNN (both run on the same OpenMP runtime).
// Results are bit-identical for the same seed and the same thread count.
namespace aekit {
void set_num_threads(int n);  // n <= 0 means all cores
int num_threads();
}  // namespace aekit
