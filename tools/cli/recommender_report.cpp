#include "recommender_report.h"

#include <cmath>
#include <cstdio>

namespace aekit::cli {

void print_recommender_evaluation(const RecommenderEvaluation& e) {
  std::printf("test ratings %lld (%lld predicted by the bias baseline: user or item without training ratings)\n",
              static_cast<long long>(e.model.pairs), static_cast<long long>(e.fallback_pairs));
  std::printf("%-22s %8s %8s %10s\n", "", "RMSE", "MAE", "per-user");
  if (std::isnan(e.model.rmse))
    std::printf("%-22s %s\n", "model", "ranks items, predicts no ratings");
  else
    std::printf("%-22s %8.4f %8.4f %10.4f\n", "model", e.model.rmse, e.model.mae, e.model.seed_user_metric);
  std::printf("%-22s %8.4f %8.4f %10.4f\n", "bias baseline", e.bias.rmse, e.bias.mae, e.bias.seed_user_metric);
  std::printf("%-22s %8.4f %8.4f %10.4f\n", "global mean", e.global_mean.rmse, e.global_mean.mae,
              e.global_mean.seed_user_metric);
  std::printf("top-N over %lld users (positive: rating >= %g)\n", static_cast<long long>(e.ranking.users),
              static_cast<double>(e.positive_threshold));
  std::printf("%-22s %9s %9s %9s %9s\n", "", "Recall@20", "NDCG@100", "Prec@10", "Hit@10");
  std::printf("%-22s %9.4f %9.4f %9.4f %9.4f\n", "model", e.ranking.recall[1], e.ranking.ndcg[3],
              e.ranking.precision[0], e.ranking.hit_rate[0]);
  std::printf("%-22s %9.4f %9.4f %9.4f %9.4f\n", "popularity", e.popularity.recall[1], e.popularity.ndcg[3],
              e.popularity.precision[0], e.popularity.hit_rate[0]);
}

}  // namespace aekit::cli
