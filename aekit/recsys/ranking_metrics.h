#pragma once
// Top-N metrics on implicit feedback, the protocol of Liang et al. 2018 (Mult-VAE):
//   Recall@K     hits in the top K / min(K, the user's test positives)
//   NDCG@K       binary relevance, DCG / ideal DCG over min(K, positives) positions
//   Precision@K  hits / K
//   HitRate@K    1 when the top K holds a positive
// averaged over the users evaluated. A user's positives count all of their test positives, also
// those on items the model cannot rank (Recall's denominator), as the protocol says.
#include <aekit/core/csr_matrix.h>

#include <cstdint>
#include <span>
#include <vector>

namespace aekit {

inline constexpr int64_t kRankingCutoffs[] = {10, 20, 50, 100};

// The k highest scores among the allowed items, best first; ties go to the lower index.
std::vector<int64_t> top_k(std::span<const float> scores, std::span<const uint8_t> allowed, int64_t k);

// top_k for scores that are the same for every user (popularity's counts): the order is sorted once,
// and a user's list is the first k items of it the user is allowed, the same list as top_k over
// the scores (its order is total and filtering keeps it), without a selection per user (half of
// the seeds' evaluation after training, ~24 ms a run, perf).
class SharedRanking {
 public:
  SharedRanking(std::span<const float> scores, std::span<const uint8_t> universe);
  std::vector<int64_t> top_k(std::span<const uint8_t> allowed, int64_t k) const;

 private:
  std::vector<int64_t> order_;  // the universe's items, best first, ties by index
};

// Flags of the columns in which some row of `m` has an entry: the items a ranking may list.
std::vector<uint8_t> columns_with_entries(const CsrMatrix& m);

// The items row `row` of `seen` may be recommended: `universe` less the row's columns, written
// into `allowed` (reused from row to row).
void candidates_of_row(std::span<const uint8_t> universe, const CsrMatrix& seen, int64_t row,
                       std::vector<uint8_t>& allowed);

struct RankingMetrics {
  // Indexed like kRankingCutoffs.
  std::vector<double> recall, ndcg, precision, hit_rate;
  int64_t users = 0;
};

class RankingAccumulator {
 public:
  RankingAccumulator();
  // `ranked`: the user's top items (at least the largest cutoff when that many exist);
  // `positive_items`: the test positives among rankable items, sorted; `positives`: all of them.
  void add(std::span<const int64_t> ranked, std::span<const int64_t> positive_items, int64_t positives);
  RankingMetrics result() const;

 private:
  RankingMetrics sums_;
};

}  // namespace aekit
