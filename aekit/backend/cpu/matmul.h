#pragma once
// A dense layer's forward on oneDNN's matmul primitive (brgemm kernels on AVX-512), with the bias
// and the activation fused into the product as oneDNN post-ops: one pass over y instead of a
// GEMM and then a separate bias+activation pass. Row-major throughout.
//
// Stateless for the caller: primitives are cached per calling thread, keyed by shape, activation
// and OpenMP thread count. Results depend only on those (same kernel, same static partition), so
// they are deterministic for a given thread count. Measured on the MNIST autoencoder (784-128-64,
// batch 256, 2 threads, epochs 2-5 of 8 interleaved runs): median epoch 0.70 s -> 0.54 s against
// cpu::gemm + cpu::bias_activation. Moving the backward products (dW, dx) to the matmul
// primitive as well measured the same (0.55 s), so those stay on cpu::gemm. Per product see
// bench/gemm_bench.cpp (fwd+act vs mm_fwd, dW vs mm_dW, dx vs mm_dx).
#include <aekit/backend/cpu/bf16.h>
#include <aekit/core/activation.h>
#include <aekit/core/tensor.h>

#include <string>

namespace aekit::cpu {

// y (n x out) = act(x (n x in) W^T + bias), W stored out x in as in nn.Linear; bias may be null.
// Softplus (PyTorch's threshold has no exact oneDNN post-op) runs as cpu::gemm then
// cpu::bias_activation.
void linear_forward(ConstMatrixView x, const float* weight, const float* bias, MatrixView y,
                    Activation act);

// The same in bf16 (--precision bf16): x (rows x in) and W (out x in) already converted, products
// accumulated and written in fp32, bias and activation applied in fp32.
void linear_forward_bf16(const bf16* x, int64_t rows, int64_t in, const bf16* weight, const float* bias,
                         MatrixView y, Activation act);

// C (m x n, fp32, row-major) = op(A) op(B) with A, B row-major bf16, op(X) = X or X^T (A is m x k,
// or k x m when transposed; B is k x n, or n x k when transposed), fp32 accumulation.
void matmul_bf16(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, const bf16* a, const bf16* b,
                 float* c);

// The kernel oneDNN picks for a representative layer (batch 256, 784 -> 128, sigmoid), e.g.
// "oneDNN matmul + bias/activation post-ops, kernel brg:avx512_core", for `aekit info --system`.
std::string linear_forward_description();

}  // namespace aekit::cpu
