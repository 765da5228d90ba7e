#include <aekit/recsys/input_dropout.h>

#include <aekit/core/error.h>

#include <vector>

namespace aekit {

DroppedBatch drop_input_ratings(const CsrMatrix& ratings, std::span<const int64_t> rows, float p, Rng& rng) {
  AEKIT_ASSERT(p >= 0.0f && p < 1.0f, "input dropout ", p, " outside [0, 1)");
  const float keep = 1.0f - p;
  std::vector<CsrEntry> input, target;
  for (size_t b = 0; b < rows.size(); ++b) {
    const auto cols = ratings.row_cols(rows[b]);
    const auto vals = ratings.row_values(rows[b]);
    for (size_t k = 0; k < cols.size(); ++k) {
      const auto row = static_cast<int64_t>(b);
      target.push_back({row, cols[k], vals[k]});
      if (rng.uniform() < keep) input.push_back({row, cols[k], vals[k] / keep});
    }
  }
  const auto n = static_cast<int64_t>(rows.size());
  return {CsrMatrix::from_entries(n, ratings.cols(), std::move(input)),
          CsrMatrix::from_entries(n, ratings.cols(), std::move(target))};
}

}  // namespace aekit
