// Recommenders on the real movielens-small (100,004 ratings, 671 users, 9,066 movies) with the
// issue's split: np.random.seed(0), a permutation of the rows, the first 90% train. PyTorch on
// this split (the issue's measurements): bias model RMSE 0.876 at lambda 5, validation-selected
// I-AutoRec 0.853-0.857.
#include <aekit/data/dataset.h>
#include <aekit/recsys/recommender_job.h>
#include <aekit/recsys/recommender_kinds.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

namespace aekit {
namespace {

void require_movielens() {
  if (std::filesystem::exists(std::filesystem::path(data_cache_dir()) / "movielens-small" / "ratings_small.csv")) return;
  if (std::getenv("CI")) FAIL() << "movielens-small is missing from " << data_cache_dir() << " (scripts/fetch-data)";
  GTEST_SKIP() << "movielens-small not in " << data_cache_dir() << "; run scripts/fetch-data";
}

TrainOptions movielens_options(const std::string& model) {
  TrainOptions o;
  o.ratings = "movielens-small";
  apply_recommender_defaults(model, o);
  o.holdout = 0.1;
  o.holdout_seed = 0;
  o.threads = 2;
  return o;
}

// The issue's target: the default autorec-i (its defaults chosen on a validation carve of the
// training ratings, bench/autorec_validation_search.py) at test RMSE 0.850 or lower on this split,
// a clear margin under the bias baseline. Measured on one thread: 0.8482 (epoch 134 of 154); the
// margin allows for another machine's float rounding, not for losing the target by much.
TEST(MovielensEndToEnd, DefaultAutoRecOnTheIssuesSplit) {
  require_movielens();
  if (IsSkipped() || HasFatalFailure()) return;
  TrainOptions o = movielens_options("autorec-i");
  o.threads = 1;  // the run measured above, bit for bit
  RecommenderJobResult job = run_recommender_job(o);
  ASSERT_TRUE(job.evaluation.has_value());
  const RecommenderEvaluation& e = *job.evaluation;
  EXPECT_EQ(e.model.pairs, 10001);  // 100,004 - int(100,004 * 0.9)
  EXPECT_NEAR(e.bias.rmse, 0.876, 0.005) << "the bias baseline on the issue's split";
  EXPECT_LT(e.model.rmse, 0.853) << "the issue's target is 0.850";
  EXPECT_LT(e.model.rmse, e.bias.rmse - 0.02) << "autorec-i against the bias baseline";
  EXPECT_GT(e.ranking.users, 500);
  std::printf("autorec-i RMSE %.4f (bias %.4f), %d epochs, best %d\n", e.model.rmse, e.bias.rmse,
              static_cast<int>(job.history.history.size()), job.history.best_epoch);
}

}  // namespace
}  // namespace aekit
