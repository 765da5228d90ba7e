#pragma once
// A matrix product inside a recommender step that runs on aekit's worker team (LoopsOnTeam,
// core/parallel_for.h): its output is split between the team's threads in blocks, each a
// one-thread oneDNN call, instead of oneDNN opening an OpenMP region of its own. A Mult-VAE step
// ran 17 such regions, and with aekit's passive OpenMP waiting (tools/cli/openmp_waiting.cpp)
// each paid the sleeping worker's wake-up: an empty region took 0.13 ms on the 2-core VM against
// 2 us with spinning, and the median Mult-VAE epoch was 0.31-0.34 s with libgomp spinning against
// 0.36-0.46 s passive. The team spins briefly between the step's loops, and the trainer's
// StepThreads runs the step on one thread when two are slower (a busy machine).
//
// Every output element is still summed over the whole inner dimension by one call. Measured on
// Mult-VAE's 64 x 9,066 x 600 products, two halves by columns take what oneDNN's two-thread call
// takes, halves by rows (of 32) 15-25% longer: the longer side is split.
#include <aekit/core/parallel_for.h>
#include <aekit/core/part_balance.h>
#include <aekit/core/threads.h>
#include <aekit/backend/cpu/small_product.h>

#include <algorithm>
#include <cstdint>

namespace aekit::cpu {

// Output rows or columns below which a block is not worth a thread.
inline constexpr int64_t kTeamPartWidth = 64;

// True when a product started on the calling thread belongs to the worker team: inside a step
// on the team (split between its threads) or inside a part of a team loop (one thread).
inline bool products_on_team() { return detail::t_team_threads > 0 || detail::t_in_team_job; }

// part(row0, row1, col0, col1) for blocks of a rows x cols output covering it, each with OpenMP
// limited to one thread (no region is opened), on the team's threads as products_on_team
// describes. The blocks are the run's thread count of even slices of the longer side, whichever
// number of the team's threads this step runs (StepThreads picks one or all, step by step): each
// block is always the same one-thread product, so the bits depend on the run's thread count
// alone, as oneDNN's own did. (oneDNN's one-thread product of a slice does not always give the
// bits of the whole product: of a 9,066 x 600 x 64 output, column slices narrower than ~250 sum
// in another order, tests/unit/team_products_test.cpp.) One thread: the product unsplit.
template <typename Part>
void split_output_on_team(int64_t rows, int64_t cols, Part part) {
  const bool by_rows = rows > cols;
  const int64_t length = by_rows ? rows : cols;
  const int64_t blocks = detail::t_in_team_job ? 1 : std::clamp<int64_t>(length / kTeamPartWidth, 1, num_threads());
  const auto run_blocks = [&](int64_t first_block, int64_t last_block) {
    const OneThreadScope one_thread(true);
    for (int64_t b = first_block; b < last_block; ++b) {
      const auto [first, last] = PartBalance::even_range(static_cast<int>(b), static_cast<int>(blocks), length, 16);
      if (first == last) continue;
      if (by_rows) {
        part(first, last, int64_t{0}, cols);
      } else {
        part(int64_t{0}, rows, first, last);
      }
    }
  };
  const int parts = static_cast<int>(std::min<int64_t>(blocks, detail::t_in_team_job ? 1 : detail::t_team_threads));
  if (parts <= 1) return run_blocks(0, blocks);
  team_run(parts, [&](int t, int count) { run_blocks(blocks * t / count, blocks * (t + 1) / count); });
}

}  // namespace aekit::cpu
