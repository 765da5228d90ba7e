// The kNN probe's classifier: a case worked by hand, its tie rules, and agreement with a
// brute-force double-precision search across several query chunks.
#include <aekit/core/error.h>
#include <aekit/core/rng.h>
#include <aekit/latent/knn.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

namespace aekit {
namespace {

Tensor matrix(int64_t rows, int64_t cols, std::initializer_list<float> values) {
  Tensor t({rows, cols});
  std::copy(values.begin(), values.end(), t.data());
  return t;
}

TEST(Knn, HandCheckedNeighboursAndVotes) {
  // Labels:          0       0       1       1       2
  const Tensor train = matrix(5, 2, {0, 0, 1, 0, 0, 1, 5, 5, 6, 5});
  const std::vector<float> labels = {0, 0, 1, 1, 2};
  const Tensor queries = matrix(3, 2, {0.1f, 0.1f, 5.4f, 5, 0.4f, 0.6f});
  // k = 1: nearest (0,0) -> 0; (5,5) at 0.4 beats (6,5) at 0.6 -> 1; (0,1) at 0.57 -> 1.
  EXPECT_EQ(knn_classify(train.view(), labels, queries.view(), 1), (std::vector<float>{0, 1, 1}));
  // k = 3 for (0.4, 0.6): (0,1) 0.57 [1], (0,0) 0.72 [0], (1,0) 0.85 [0] -> 0 wins 2 to 1.
  // For (5.4, 5): (5,5) [1], (6,5) [2], then (0,1) [1] at 6.3 -> 1.
  EXPECT_EQ(knn_classify(train.view(), labels, queries.view(), 3), (std::vector<float>{0, 1, 0}));
  // k = 2 for (0.4, 0.6): one vote each for 1 and 0; the tie goes to the nearest, label 1.
  EXPECT_EQ(knn_classify(train.view(), labels, queries.view(), 2)[2], 1);
}

TEST(Knn, EqualDistancesPreferTheLowerTrainingRow) {
  const Tensor train = matrix(2, 2, {-1, 0, 1, 0});
  const Tensor query = matrix(1, 2, {0, 0});
  EXPECT_EQ(knn_classify(train.view(), std::vector<float>{7, 8}, query.view(), 1)[0], 7);
  EXPECT_EQ(knn_classify(train.view(), std::vector<float>{8, 7}, query.view(), 1)[0], 8);
}

TEST(Knn, AgreesWithBruteForceAcrossChunks) {
  // 9000 training rows make query chunks of 932 rows, so 2000 queries take three chunks.
  const int64_t m = 9000, n = 2000, d = 5;
  const int k = 5;
  Rng rng(3);
  Tensor train({m, d}), queries({n, d});
  for (float& v : train.span()) v = rng.uniform(-1, 1);
  for (float& v : queries.span()) v = rng.uniform(-1, 1);
  std::vector<float> labels(static_cast<size_t>(m));
  for (float& l : labels) l = static_cast<float>(rng.below(4));
  const std::vector<float> fast = knn_classify(train.view(), labels, queries.view(), k);

  int agree = 0;
  std::vector<std::pair<double, int64_t>> dist(static_cast<size_t>(m));
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t j = 0; j < m; ++j) {
      double s = 0;
      for (int64_t c = 0; c < d; ++c) {
        const double diff = static_cast<double>(queries.row(i)[c]) - train.row(j)[c];
        s += diff * diff;
      }
      dist[j] = {s, j};
    }
    std::partial_sort(dist.begin(), dist.begin() + k, dist.end());
    int counts[4] = {0, 0, 0, 0};
    for (int t = 0; t < k; ++t) ++counts[static_cast<int>(labels[dist[t].second])];
    const int top = *std::max_element(counts, counts + 4);
    float expected = -1;
    for (int t = 0; t < k && expected < 0; ++t)
      if (counts[static_cast<int>(labels[dist[t].second])] == top) expected = labels[dist[t].second];
    agree += fast[i] == expected;
  }
  // Float distances may swap neighbours that are within rounding of each other; nothing more.
  EXPECT_GE(agree, n - n / 200) << agree << " of " << n;
}

TEST(Knn, AccuracyAndBadArguments) {
  EXPECT_DOUBLE_EQ(accuracy(std::vector<float>{1, 2, 3, 4}, std::vector<float>{1, 2, 0, 4}), 0.75);
  EXPECT_THROW(accuracy(std::vector<float>{1}, std::vector<float>{1, 2}), InputError);
  const Tensor train = matrix(2, 2, {0, 0, 1, 1});
  const Tensor wide = matrix(1, 3, {0, 0, 0});
  EXPECT_THROW(knn_classify(train.view(), std::vector<float>{0, 1}, wide.view(), 1), InputError);
  EXPECT_THROW(knn_classify(train.view(), std::vector<float>{0, 1}, train.view(), 3), InputError);
  EXPECT_THROW(knn_classify(train.view(), std::vector<float>{0}, train.view(), 1), InputError);
}

}  // namespace
}  // namespace aekit
