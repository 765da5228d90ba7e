#pragma once
// Single-precision matrix product on row-major matrices:
//   C (m x n) = alpha * op(A) * op(B) + beta * C,  op(X) = X or X^T.
// Backed by oneDNN's dnnl_sgemm: Debian's OpenBLAS picks SSE3 kernels on these CPUs (about a
// quarter of the speed, see DESIGN.md), while oneDNN dispatches on the ISA it detects at run time.
#include <cstdint>
#include <string>

namespace aekit::cpu {

void gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
          int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc);

// "oneDNN 2.6.3 (dnnl_sgemm), ISA avx512_core_bf16" - the library and the kernel family in use.
std::string gemm_description();

}  // namespace aekit::cpu
