#pragma once
// Evaluation of a recommender on test ratings, with the baselines printed beside it.
//   ratings   RMSE and MAE (predictions clipped to the rating range) and the seeds' per-user
//             metric, for the model, the global mean and the bias baseline (bias_model.h);
//             pairs the model cannot predict get the bias baseline and are counted; an
//             implicit model (ease) predicts no ratings: its rating metrics are NaN (null in JSON)
//   top-N     a rating >= positive_threshold is a positive; every user with a test positive and
//             a training rating gets every item seen in training that they have not rated in
//             training ranked (ties to the lower index); Recall, NDCG, Precision and HitRate at
//             10, 20, 50, 100 (ranking_metrics.h), for the model and for popularity (the number
//             of training ratings of each item)
#include <aekit/recsys/ranking_metrics.h>
#include <aekit/recsys/rating_metrics.h>
#include <aekit/recsys/recommender.h>

#include <nlohmann/json.hpp>
#include <vector>

namespace aekit {

struct EvalOptions {
  float positive_threshold = 4.0f;
};

struct RecommenderEvaluation {
  RatingMetrics model, global_mean, bias;
  int64_t fallback_pairs = 0;
  RankingMetrics ranking, popularity;
  float positive_threshold = 4.0f;
};

RecommenderEvaluation evaluate_recommender(Recommender& model, const std::vector<Rating>& test,
                                           const EvalOptions& options);

// One flat object: rmse, mae, seed_user_metric, baseline_rmse (bias), baseline_mae,
// global_mean_rmse, recall@K, ndcg@K, precision@K, hit_rate@K, popularity_recall@K,
// popularity_ndcg@K, users_evaluated, test_pairs, fallback_pairs.
nlohmann::json evaluation_json(const RecommenderEvaluation& e);

}  // namespace aekit
