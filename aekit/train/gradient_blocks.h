#pragma once
// The gradients as fixed blocks of kGradientBlock values, numbered across the tensors in order:
// the passes over all of them (clip.cpp's norm, gradient_norm_bound.cpp's bound) share the blocks
// between threads in one parallel region (one fork and barrier a pass, not one a tensor), and a
// result combined block by block in order is the same for any thread count.
#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

namespace aekit {

inline constexpr int64_t kGradientBlock = int64_t{1} << 14;

class GradientBlocks {
 public:
  explicit GradientBlocks(std::span<const std::span<float>> grads) : grads_(grads), first_(grads.size() + 1, 0) {
    for (size_t t = 0; t < grads.size(); ++t)
      first_[t + 1] = first_[t] + (static_cast<int64_t>(grads[t].size()) + kGradientBlock - 1) / kGradientBlock;
  }

  int64_t count() const { return first_.back(); }
  // The first block of tensor t (count() for t = the number of tensors).
  int64_t first(size_t t) const { return first_[t]; }

  // body(block, values, n) for every block, shared between the threads (static schedule) when
  // `parallel`, each thread meeting its blocks in increasing order; a plain loop on the calling
  // thread otherwise (no region of one thread, whose barrier still costs a futex call:
  // core/parallel_for.h).
  template <typename Body>
  void run(bool parallel, Body body) const {
    if (!parallel) {
      for (size_t t = 0; t < grads_.size(); ++t)
        for (int64_t b = first_[t]; b < first_[t + 1]; ++b) visit(t, b, body);
      return;
    }
#pragma omp parallel
    {
      size_t t = 0;
#pragma omp for schedule(static)
      for (int64_t b = 0; b < count(); ++b) {
        while (first_[t + 1] <= b) ++t;
        visit(t, b, body);
      }
    }
  }

 private:
  template <typename Body>
  void visit(size_t t, int64_t b, Body& body) const {
    const int64_t begin = (b - first_[t]) * kGradientBlock;
    body(b, grads_[t].data() + begin, std::min(kGradientBlock, static_cast<int64_t>(grads_[t].size()) - begin));
  }

  std::span<const std::span<float>> grads_;
  std::vector<int64_t> first_;
};

}  // namespace aekit
