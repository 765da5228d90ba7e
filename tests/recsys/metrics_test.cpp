// Rating and ranking metrics and the bias baseline against small cases computed by hand.
#include <aekit/core/error.h>
#include <aekit/core/rng.h>
#include <aekit/recsys/bias_model.h>
#include <aekit/recsys/ranking_metrics.h>
#include <aekit/recsys/rating_metrics.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace aekit {
namespace {

TEST(RatingMetrics, HandComputed) {
  // User 0: errors +1 and -3 (the -3 clips to -2 at the range's low end 1); user 1: error 0.5.
  const std::vector<TestPair> pairs{{0, 0, 4.0f}, {0, 1, 3.0f}, {1, 0, 2.0f}};
  const std::vector<float> predicted{5.0f, 0.0f, 2.5f};
  const RatingMetrics m = rating_metrics(pairs, predicted, 1.0f, 5.0f);
  EXPECT_NEAR(m.rmse, std::sqrt((1.0 + 4.0 + 0.25) / 3.0), 1e-12);
  EXPECT_NEAR(m.mae, (1.0 + 2.0 + 0.5) / 3.0, 1e-12);
  // Unclipped, per user: sqrt((1 + 9) / 2) and 0.5.
  EXPECT_NEAR(m.seed_user_metric, (std::sqrt(5.0) + 0.5) / 2.0, 1e-12);
  EXPECT_EQ(m.users, 2);
  EXPECT_EQ(m.pairs, 3);
}

TEST(RankingMetrics, TopKBreaksTiesByIndexAndSkipsExcluded) {
  const std::vector<float> scores{0.5f, 0.9f, 0.9f, 0.1f, 2.0f};
  const std::vector<uint8_t> allowed{1, 1, 1, 1, 0};
  EXPECT_EQ(top_k(scores, allowed, 3), (std::vector<int64_t>{1, 2, 0}));
  EXPECT_EQ(top_k(scores, allowed, 10).size(), 4u);
}

// top_k selects and then sorts only what it keeps: the same list as sorting every allowed item by
// score (descending, ties by index) and keeping the first k, for k below, at and past the
// candidates, with many tied scores.
TEST(RankingMetrics, TopKIsTheHeadOfTheWholeSort) {
  Rng rng(11);
  std::vector<float> scores(300);
  std::vector<uint8_t> allowed(300);
  for (size_t i = 0; i < scores.size(); ++i) {
    scores[i] = static_cast<float>(static_cast<int>(rng.uniform(0, 20)));  // ~15 items a score
    allowed[i] = rng.uniform() < 0.8 ? 1 : 0;
  }
  std::vector<int64_t> sorted;
  for (size_t i = 0; i < scores.size(); ++i)
    if (allowed[i]) sorted.push_back(static_cast<int64_t>(i));
  std::stable_sort(sorted.begin(), sorted.end(), [&](int64_t a, int64_t b) {
    return scores[static_cast<size_t>(a)] > scores[static_cast<size_t>(b)];
  });
  for (const int64_t k : {int64_t{0}, int64_t{1}, int64_t{10}, int64_t{100}, static_cast<int64_t>(sorted.size()), int64_t{1000}}) {
    const std::vector<int64_t> head(sorted.begin(), sorted.begin() + std::min<int64_t>(k, static_cast<int64_t>(sorted.size())));
    EXPECT_EQ(top_k(scores, allowed, k), head) << "k = " << k;
  }
}

// One shared order (popularity's, the same scores for every user) gives each user top_k's list:
// many tied scores, a universe short of some items, each user allowed a different part of it, k
// below, at and past what a user may be shown.
TEST(RankingMetrics, SharedRankingGivesTopKsListForEveryUser) {
  Rng rng(12);
  std::vector<float> scores(200);
  std::vector<uint8_t> universe(200);
  for (size_t i = 0; i < scores.size(); ++i) {
    scores[i] = static_cast<float>(static_cast<int>(rng.uniform(0, 12)));  // counts, many ties
    universe[i] = rng.uniform() < 0.9 ? 1 : 0;
  }
  const SharedRanking shared(scores, universe);
  for (int user = 0; user < 20; ++user) {
    std::vector<uint8_t> allowed(universe);
    for (uint8_t& a : allowed) a = a != 0 && rng.uniform() < 0.7 ? 1 : 0;
    for (const int64_t k : {int64_t{0}, int64_t{1}, int64_t{10}, int64_t{100}, int64_t{500}})
      EXPECT_EQ(shared.top_k(allowed, k), top_k(scores, allowed, k)) << "user " << user << ", k = " << k;
  }
}

TEST(RankingMetrics, HandComputed) {
  RankingAccumulator acc;
  // User A: positives {2, 7} and a third on an item the model cannot rank; hits at ranks 1 and 3.
  const std::vector<int64_t> ranked_a{2, 5, 7, 1};
  const std::vector<int64_t> pos_a{2, 7};
  acc.add(ranked_a, pos_a, 3);
  // User B: one positive, never ranked.
  const std::vector<int64_t> ranked_b{0, 1};
  const std::vector<int64_t> pos_b{9};
  acc.add(ranked_b, pos_b, 1);
  const RankingMetrics m = acc.result();
  ASSERT_EQ(m.users, 2);
  // K = 10: A has 2 hits of min(10, 3) = 3; B none.
  EXPECT_NEAR(m.recall[0], (2.0 / 3.0 + 0.0) / 2.0, 1e-12);
  const double dcg_a = 1.0 + 1.0 / std::log2(4.0);
  const double idcg_a = 1.0 + 1.0 / std::log2(3.0) + 1.0 / std::log2(4.0);
  EXPECT_NEAR(m.ndcg[0], dcg_a / idcg_a / 2.0, 1e-12);
  EXPECT_NEAR(m.precision[0], (2.0 / 10.0) / 2.0, 1e-12);
  EXPECT_NEAR(m.hit_rate[0], 0.5, 1e-12);
  EXPECT_NEAR(m.precision[3], (2.0 / 100.0) / 2.0, 1e-12);  // K = 100
}

TEST(BiasModel, HandComputed) {
  // Two users, two items: u0 rates i0 5 and i1 3; u1 rates i0 4. mu = 4.
  const CsrMatrix m = CsrMatrix::from_entries(2, 2, {{0, 0, 5.0f}, {0, 1, 3.0f}, {1, 0, 4.0f}});
  const BiasModel b = BiasModel::fit(m, 1.0);
  EXPECT_DOUBLE_EQ(b.mu, 4.0);
  EXPECT_FLOAT_EQ(b.item_bias[0], 1.0f / 3.0f);   // (1 + 0) / (1 + 2)
  EXPECT_FLOAT_EQ(b.item_bias[1], -0.5f);         // -1 / (1 + 1)
  EXPECT_FLOAT_EQ(b.user_bias[0], static_cast<float>(((1 - 1.0 / 3) + (-1 + 0.5)) / 3.0));
  EXPECT_FLOAT_EQ(b.user_bias[1], static_cast<float>((0 - 1.0 / 3) / 2.0));
  EXPECT_NEAR(b.predict(-1, 1), 3.5, 1e-6);
  const BiasModel back = BiasModel::from_json(b.to_json(), 2, 2, "m");
  EXPECT_EQ(back.user_bias, b.user_bias);
  EXPECT_THROW(BiasModel::from_json(b.to_json(), 3, 2, "m"), InputError);
}

}  // namespace
}  // namespace aekit
