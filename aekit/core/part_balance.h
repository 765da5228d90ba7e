#pragma once
// Where the parts of a split loop divide its work, moved towards equal finishing times by their
// measured durations. Only for loops whose results do not depend on where the split falls (each
// element computed by one thread, in a fixed order), so a moving split changes no bit.
//
// Why: two threads of a recommender step (worker_team.h) given equal halves of an optimizer's
// pass do not finish together, and the step waits for the slower. The caller's half was just
// touched by the step's forward and backward on its own core; the worker's half holds rows the
// caller wrote, whose cache lines it must fetch from the other core. On the seeds' recommender
// (ML-100K-shaped, 2 threads) RMSprop's halves took 15 us on the caller and 20-25 us on the
// worker; at I-AutoRec b64 sometimes the caller's half of AdamW's rows was the slower one. Which
// part is slower, and by how much, changes with the model, the batch, the machine and its load, so
// the split is measured rather than fixed.
#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>

namespace aekit {

class PartBalance {
 public:
  static constexpr int kMaxParts = 16;  // loops of more parts are split evenly
  // The fraction of the way from a part's share to the share that would have made the last loop's
  // parts finish together, taken after each loop: a step's own noise is smoothed over a few.
  static constexpr double kGain = 0.25;
  // No part's share is cut below this fraction of an even share (the shares are then scaled to a
  // sum of 1, so a held part ends a little under it): every part keeps a range to be timed on, and
  // a part descheduled once gets work back as soon as it is fast again.
  static constexpr double kLeastShare = 0.1;

  // [begin, end) of part t of n over [0, total): the ranges of t = 0 .. n - 1 tile [0, total) in
  // order, their boundaries at multiples of `quantum`. Even until loops of n parts have been timed.
  std::pair<int64_t, int64_t> range(int t, int n, int64_t total, int64_t quantum) const;
  // The same with even shares.
  static std::pair<int64_t, int64_t> even_range(int t, int n, int64_t total, int64_t quantum);
  // Part t of n took `seconds` on its range. Parts of one loop may record at the same time.
  void record(int t, int n, double seconds);
  // After every part of a loop of n parts has finished and recorded, from the calling thread:
  // moves the shares towards equal times. A loop of one part changes nothing; one of another
  // count than the last starts again from even shares.
  void rebalance(int n);

  double share(int t) const { return share_[static_cast<std::size_t>(t)]; }

 private:
  int64_t boundary(int k, int n, int64_t total, int64_t quantum) const;  // from the shares, n == parts_

  int parts_ = 0;  // the count the shares are for; 0: none yet
  std::array<double, kMaxParts> share_{};
  struct alignas(64) Took {  // a cache line each: parts record at once
    double seconds = 0.0;
  };
  std::array<Took, kMaxParts> took_{};
};

}  // namespace aekit
