#pragma once
// The floating-point work of one training batch of a recommender, for the default thread count
// (core/thread_choice.h). A sparse source's products are not a dense network's: the first layer
// reads a row's stored entries only, and the last layer computes only the rated outputs, unless
// every output is needed (the multinomial likelihood's softmax, DeepRec's dense re-feeding).
// Counted as dense layers, I-AutoRec's batch of 64 on movielens-small came to 258 MFLOP where
// its products are about 4, and the default ran 2 threads, whose wake-ups made an epoch 1.8x
// slower than one thread's (0.36 against 0.20 s, bench/autorec_side_by_side.py, ninth session).
#include <cstdint>

namespace aekit {

// dense_macs_per_sample: the network's multiply-adds per row as dense layers; density: stored
// entries / (rows x columns) of the rating rows; dense_output: every output is computed.
// The forward and backward products (6 flops per multiply-add) of `batch` rows, the sparse
// first layer (and, unless dense_output, the sampled last layer) scaled by the density. The
// first and last layers are taken as all of the work: the middle ones are narrow in every
// recommender model (20-10-20, 600-200, 512-512).
inline double sparse_batch_flops(double dense_macs_per_sample, int64_t batch, double density, bool dense_output) {
  const double share = dense_output ? (1.0 + density) / 2.0 : density;
  return 6.0 * dense_macs_per_sample * share * static_cast<double>(batch);
}

// The optimizer's update of `weights` weights, once a batch, counted in flops of the products:
// an Adam or RMSprop update is a square root and two divisions beside a dozen multiply-adds, and
// takes about as long as 32 flops of the sparse products (AdamW over I-AutoRec's 672,171 weights:
// 365 us on one thread, bench/optimizer_step_bench). At I-AutoRec b64 it is most of a step's work
// (21.5 of ~25 MFLOP), and split between threads like the products.
inline double update_flops(int64_t weights) { return 32.0 * static_cast<double>(weights); }

}  // namespace aekit
