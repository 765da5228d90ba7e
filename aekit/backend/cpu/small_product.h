#pragma once
// Small matrix products run on the calling thread alone. Each oneDNN product is a parallel
// region, and with passive waiting (aekit's default, so that a busy machine does not collapse)
// every region pays a futex wake and a barrier: tens of microseconds in a VM, about what a
// product of 2^21 multiply-adds (the seeds' MNIST model's hidden layers at batch 256, 256x64x128)
// takes on one core. Those six products of a batch then cost no region at all.
//
// A small product's bits then depend on its shape alone, not on the caller's thread count. On
// AVX-512 oneDNN splits these shapes between threads by rows and columns of the output, never along
// the sum, so one thread also gives the bits its two-thread product would; on AVX2 it splits thin
// outputs with a long sum (m = 2, n = 64, k = 784) along k, so there the bits are one thread's
// (tests/unit/small_product_test.cpp). Matrix-vector products are the
// exception (dnnl_sgemm sums a vector product in a different order on one thread), so they are
// left to oneDNN's own choice.
#include <cstdint>

#include <omp.h>

namespace aekit::cpu {

inline constexpr int64_t kSmallProductMacs = int64_t{1} << 21;

// True for a product of m x n outputs over k terms that runs on one thread.
inline bool runs_on_one_thread(int64_t m, int64_t n, int64_t k) {
  return m > 1 && n > 1 && m * n * k <= kSmallProductMacs;
}

// While alive, OpenMP regions started by the calling thread use one thread (when `serial`).
class OneThreadScope {
 public:
  explicit OneThreadScope(bool serial) : saved_(serial ? omp_get_max_threads() : 1) {
    if (saved_ > 1) omp_set_num_threads(1);
  }
  ~OneThreadScope() {
    if (saved_ > 1) omp_set_num_threads(saved_);
  }
  OneThreadScope(const OneThreadScope&) = delete;
  OneThreadScope& operator=(const OneThreadScope&) = delete;

 private:
  int saved_;
};

}  // namespace aekit::cpu
