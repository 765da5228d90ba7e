#include <aekit/recsys/input_dropout.h>

#include <aekit/core/error.h>

#include <vector>

namespace aekit {

DroppedBatch drop_input_ratings(const CsrMatrix& ratings, std::span<const int64_t> rows, float p, Rng& rng) {
  AEKIT_ASSERT(p >= 0.0f && p < 1.0f, "input dropout ", p, " outside [0, 1)");
  const float keep = 1.0f - p;
  // Both built row by row in the source's order, so columns stay ascending (no entries to sort:
  // building them through from_entries was ~6% of a default autorec-i run, perf).
  std::vector<int64_t> input_ptr{0}, target_ptr{0};
  std::vector<int32_t> input_cols, target_cols;
  std::vector<float> input_vals, target_vals;
  for (const int64_t r : rows) {
    const auto cols = ratings.row_cols(r);
    const auto vals = ratings.row_values(r);
    target_cols.insert(target_cols.end(), cols.begin(), cols.end());
    target_vals.insert(target_vals.end(), vals.begin(), vals.end());
    for (size_t k = 0; k < cols.size(); ++k)
      if (rng.uniform() < keep) {
        input_cols.push_back(cols[k]);
        input_vals.push_back(vals[k] / keep);
      }
    input_ptr.push_back(static_cast<int64_t>(input_cols.size()));
    target_ptr.push_back(static_cast<int64_t>(target_cols.size()));
  }
  return {CsrMatrix::from_rows(ratings.cols(), std::move(input_ptr), std::move(input_cols), std::move(input_vals)),
          CsrMatrix::from_rows(ratings.cols(), std::move(target_ptr), std::move(target_cols), std::move(target_vals))};
}

}  // namespace aekit
