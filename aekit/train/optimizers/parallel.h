#pragma once
// How every optimizer step walks its parameters: ONE parallel region for the whole step, the
// elements of all parameters laid end to end and cut into one contiguous slice per thread, and a
// simd loop over each parameter's part of a slice. Elements are updated independently, so the
// cut never changes a result: a step is bit-identical for any thread count.
//
// One region per step (rather than one per parameter) matters on a shared machine: every region
// ends in a barrier, and a barrier whose partner thread has been descheduled is time lost.
#include <aekit/core/parallel_for.h>
#include <aekit/train/optimizer.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstdint>
#include <span>

#include <omp.h>

namespace aekit::detail {

// Below this many elements in all, a step stays on the calling thread: starting a parallel
// region costs more than the update itself.
inline constexpr int64_t kParallelMinElements = int64_t{1} << 15;

// body(i) for i in [begin, end) as one vector loop; body returns the value it stored into the
// parameter, and simd_range returns whether every one of them is finite. That check rides in the
// update's own loop (an OR of exponent bits, no branch), so the trainer's guard that the weights
// are still finite after an update costs no pass of its own over the parameters.
// `body` is taken BY VALUE: the loop then works
// on a local copy whose captured pointers stay in registers. Through a reference the compiler
// reloaded them every iteration and turned each access into vgather/vscatter (4.5x slower at
// batch size 1; tests/guards/optimizer_no_gather.sh fails if that comes back).
template <typename Body>
inline bool simd_range(int64_t begin, int64_t end, Body body) {
  // `simd`: the arrays of one step never overlap, which the compiler cannot prove by itself.
  // The body must not branch on run-time values around a store (see adam.cpp), or the loop
  // stays scalar.
  uint32_t non_finite = 0;
#pragma omp simd reduction(| : non_finite)
  for (int64_t i = begin; i < end; ++i)
    non_finite |= static_cast<uint32_t>((std::bit_cast<uint32_t>(body(i)) & 0x7f800000u) == 0x7f800000u);
  return non_finite == 0;
}

// slice(k, begin, end) for every parameter k and the part [begin, end) of its elements that falls
// in the calling thread's share; slice returns whether the values it stored are finite, and so
// does for_each_param_slice, for all of them. The shares follow `balance` (part_balance.h): the
// elements are updated independently, so where the shares meet changes no value.
template <typename Slice>
bool for_each_param_slice(std::span<const ParamRef> params, PartBalance& balance, const Slice& slice) {
  int64_t total = 0;
  for (const ParamRef& p : params) total += p.size;
  std::atomic<bool> finite{true};
  // An OpenMP region, or the worker team during a step the trainer runs there (parallel_for.h).
  // Shares are multiples of 16 floats (a cache line), so where a parameter's storage is aligned
  // two threads do not write into one line.
  balanced_parts_if(total >= kParallelMinElements, balance, total, 16, [&](int64_t lo, int64_t hi) {
    bool ok = true;
    int64_t offset = 0;
    for (size_t k = 0; k < params.size() && offset < hi; ++k) {
      const int64_t begin = std::max(lo, offset), end = std::min(hi, offset + params[k].size);
      if (begin < end) ok &= slice(k, begin - offset, end - offset);
      offset += params[k].size;
    }
    if (!ok) finite.store(false, std::memory_order_relaxed);
  });
  return finite.load(std::memory_order_relaxed);
}

}  // namespace aekit::detail
