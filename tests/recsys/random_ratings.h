#pragma once
// Small random rating matrices for the recommender tests: each cell rated with probability
// `density`, plus the cell (r, r % cols) so that every row has a rating. Explicit ratings are
// uniform in [1, 5); implicit ones are 1. The random stream is drawn in one fixed order, so a
// seed gives the same matrix in every test that uses it.
#include <aekit/core/csr_matrix.h>
#include <aekit/core/rng.h>

#include <cstdint>
#include <utility>
#include <vector>

namespace aekit::test {

enum class RatingKind { Explicit, Implicit };

inline CsrMatrix random_ratings(int64_t rows, int64_t cols, uint64_t seed, double density,
                                RatingKind kind = RatingKind::Explicit) {
  Rng rng(seed);
  std::vector<CsrEntry> entries;
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      if (rng.uniform() < density || c == r % cols)
        entries.push_back({r, c, kind == RatingKind::Implicit ? 1.0f : 1.0f + static_cast<float>(rng.uniform(0, 4))});
  return CsrMatrix::from_entries(rows, cols, std::move(entries));
}

}  // namespace aekit::test
