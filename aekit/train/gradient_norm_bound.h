#pragma once
// A cheaper proof for the trainer's guard (nonfinite.h). Before every update the trainer checks
// that the gradients' global 2-norm is finite; without clipping it never uses the norm's value,
// only that it is finite, and a bound proves that for far less: the norm global_grad_norm
// computes (squares summed in double, the square root rounded to float) is at most sqrt(count) x
// the largest magnitude, so a largest magnitude under FLT_MAX / (2 sqrt(count)) vouches for it
// (the margin of 2 covers the double sum's rounding many times over). The largest magnitude is a
// max over the gradients' bit patterns with the sign cleared, in independent lanes; the norm's
// sixteen fixed double lanes (clip.cpp, fixed so that the norm's bits never depend on the
// hardware) are each one latency-bound chain. At batch 1 on the seeds' MNIST model the norm was
// 7.6% of the epoch (perf). A batch the bound cannot vouch for (a NaN, an infinity, or magnitudes
// near FLT_MAX) gets the norm itself, so the guard decides exactly as it did with the norm alone.
#include <span>

namespace aekit {

// True only when the norm global_grad_norm(grads) would return is certainly finite.
bool gradient_norm_bounded(std::span<const std::span<float>> grads);

}  // namespace aekit
