#include <aekit/recsys/recommender_eval.h>

#include <aekit/recsys/predict.h>

#include <algorithm>
#include <limits>
#include <map>

namespace aekit {

namespace {

struct UserPositives {
  std::vector<int64_t> rankable;  // positives on items seen in training, sorted
  int64_t all = 0;                // every test positive of the user
};

// Top-N for the listed users from a score matrix (rows like `users`).
void rank_users(const Recommender& model, std::span<const int64_t> users, const Tensor& scores,
                const std::vector<uint8_t>& universe, std::map<int64_t, UserPositives>& positives,
                RankingAccumulator& acc) {
  const CsrMatrix& r = model.train.by_user;
  std::vector<uint8_t> allowed;
  for (size_t b = 0; b < users.size(); ++b) {
    candidates_of_row(universe, r, users[b], allowed);
    const int64_t items = r.cols();
    const auto ranked = top_k(std::span(scores.row(static_cast<int64_t>(b)), static_cast<size_t>(items)), allowed,
                              kRankingCutoffs[std::size(kRankingCutoffs) - 1]);
    const UserPositives& p = positives[users[b]];
    acc.add(ranked, p.rankable, p.all);
  }
}

}  // namespace

RecommenderEvaluation evaluate_recommender(Recommender& model, const std::vector<Rating>& test,
                                           const EvalOptions& options) {
  RecommenderEvaluation e;
  e.positive_threshold = options.positive_threshold;
  const std::vector<TestPair> pairs = to_test_pairs(test, model.train.users, model.train.items);
  std::vector<float> mean(pairs.size(), static_cast<float>(model.baseline.mu)), bias;
  for (const TestPair& p : pairs) bias.push_back(static_cast<float>(model.baseline.predict(p.user, p.item)));
  e.global_mean = rating_metrics(pairs, mean, model.rating_low, model.rating_high);
  e.bias = rating_metrics(pairs, bias, model.rating_low, model.rating_high);
  if (model.implicit_threshold) {  // scores for ranking, not ratings: no rating metrics
    e.model = e.bias;
    e.model.rmse = e.model.mae = e.model.seed_user_metric = std::numeric_limits<double>::quiet_NaN();
  } else {
    const PairPredictions predicted = predict_pairs(model, pairs);
    e.fallback_pairs = predicted.fallback;
    e.model = rating_metrics(pairs, predicted.values, model.rating_low, model.rating_high);
  }

  // Top-N.
  const CsrMatrix& r = model.train.by_user;
  std::vector<uint8_t> universe(static_cast<size_t>(r.cols()), 0);
  Tensor popularity({1, r.cols()});
  for (int32_t c : r.col_idx()) {
    universe[static_cast<size_t>(c)] = 1;
    popularity[c] += 1.0f;
  }
  std::map<int64_t, UserPositives> positives;
  for (const TestPair& p : pairs) {
    if (p.rating < options.positive_threshold || p.user < 0 || r.row_nnz(p.user) == 0) continue;
    UserPositives& up = positives[p.user];
    ++up.all;
    if (p.item >= 0 && universe[static_cast<size_t>(p.item)]) up.rankable.push_back(p.item);
  }
  std::vector<int64_t> users;
  for (auto& [u, up] : positives) {
    std::sort(up.rankable.begin(), up.rankable.end());
    users.push_back(u);
  }
  RankingAccumulator model_acc, popularity_acc;
  constexpr size_t kChunk = 512;
  for (size_t begin = 0; begin < users.size(); begin += kChunk) {
    const auto chunk = std::span(users).subspan(begin, std::min(kChunk, users.size() - begin));
    rank_users(model, chunk, predict_users(model, chunk), universe, positives, model_acc);
  }
  // Popularity's scores are every user's: one order for all (ranking_metrics.h).
  const SharedRanking by_popularity(popularity.span(), universe);
  std::vector<uint8_t> allowed;
  for (const int64_t u : users) {
    candidates_of_row(universe, r, u, allowed);
    const UserPositives& p = positives[u];
    popularity_acc.add(by_popularity.top_k(allowed, kRankingCutoffs[std::size(kRankingCutoffs) - 1]), p.rankable, p.all);
  }
  e.ranking = model_acc.result();
  e.popularity = popularity_acc.result();
  return e;
}

nlohmann::json evaluation_json(const RecommenderEvaluation& e) {
  nlohmann::json j{{"rmse", e.model.rmse},
                   {"mae", e.model.mae},
                   {"seed_user_metric", e.model.seed_user_metric},
                   {"baseline_rmse", e.bias.rmse},
                   {"baseline_mae", e.bias.mae},
                   {"baseline_seed_user_metric", e.bias.seed_user_metric},
                   {"global_mean_rmse", e.global_mean.rmse},
                   {"test_pairs", e.model.pairs},
                   {"fallback_pairs", e.fallback_pairs},
                   {"users_evaluated", e.ranking.users},
                   {"positive_threshold", e.positive_threshold}};
  for (size_t c = 0; c < std::size(kRankingCutoffs); ++c) {
    const std::string k = std::to_string(kRankingCutoffs[c]);
    j["recall@" + k] = e.ranking.recall[c];
    j["ndcg@" + k] = e.ranking.ndcg[c];
    j["precision@" + k] = e.ranking.precision[c];
    j["hit_rate@" + k] = e.ranking.hit_rate[c];
    j["popularity_recall@" + k] = e.popularity.recall[c];
    j["popularity_ndcg@" + k] = e.popularity.ndcg[c];
  }
  return j;
}

}  // namespace aekit
