// Recommenders on the real movielens-small (100,004 ratings, 671 users, 9,066 movies) with the
// issue's split: np.random.seed(0), a permutation of the rows, the first 90% train. PyTorch on
// this split (the issue's measurements): bias model RMSE 0.876 at lambda 5, validation-selected
// I-AutoRec 0.853-0.857.
#include <aekit/data/dataset.h>
#include <aekit/recsys/recommender_job.h>
#include <aekit/recsys/ranking_metrics.h>
#include <aekit/recsys/recommender_kinds.h>
#include <aekit/recsys/rating_file.h>
#include <aekit/recsys/titles.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>

namespace aekit {
namespace {

void require_movielens(const char* file = "ratings_small.csv") {
  if (std::filesystem::exists(std::filesystem::path(data_cache_dir()) / "movielens-small" / file)) return;
  if (std::getenv("CI")) FAIL() << "movielens-small's " << file << " is missing from " << data_cache_dir() << " (scripts/fetch-data)";
  GTEST_SKIP() << "movielens-small's " << file << " not in " << data_cache_dir() << "; run scripts/fetch-data";
}

// scripts/fetch-data writes movies.csv from Debian's r-cran-dslabs (scripts/movielens_titles.py
// checks that its ratings are ratings_small.csv's): every rated movie but the 5 dslabs has no
// title for gets one, by MovieLens id.
TEST(MovielensEndToEnd, TitlesNameTheRatedMoviesByMovieLensId) {
  require_movielens();
  require_movielens("movies.csv");
  if (IsSkipped() || HasFatalFailure()) return;
  const std::map<int64_t, std::string> titles = read_titles("movielens-small");
  EXPECT_EQ(titles.at(1), "Toy Story (1995)");
  EXPECT_EQ(titles.at(858), "Godfather, The (1972)");
  EXPECT_EQ(titles.at(2571), "Matrix, The (1999)");
  std::set<int64_t> untitled;
  for (const Rating& r : read_ratings("movielens-small"))
    if (!titles.contains(r.item)) untitled.insert(r.item);
  EXPECT_EQ(untitled.size(), 5u) << "rated movies without a title";
  EXPECT_EQ(titles.size(), 9061u) << "a title for a movie nobody rated";
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

// The issue's target: the default autorec-i (its defaults chosen on validation over seeds 0-2,
// bench/autorec_validation_search.py) at test RMSE 0.850 or lower on this split, a clear margin
// under the bias baseline. Measured on one thread: 0.8438 (best epoch 130 of the selection run's
// 150, then 130 epochs of refit); seeds 1 and 2 gave 0.8464 and 0.8449. The bound is the target
// itself: it allows for another machine's float rounding and the seeds' spread, not for missing it.
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
  EXPECT_LT(e.model.rmse, 0.850) << "the issue's target";
  ASSERT_TRUE(job.refit_history.has_value()) << "the default refits on every training rating";
  EXPECT_EQ(static_cast<int>(job.refit_history->history.size()), job.history.best_epoch);
  EXPECT_LT(e.model.rmse, e.bias.rmse - 0.02) << "autorec-i against the bias baseline";
  EXPECT_GT(e.ranking.users, 500);
  std::printf("autorec-i RMSE %.4f (bias %.4f), %d epochs, best %d\n", e.model.rmse, e.bias.rmse,
              static_cast<int>(job.history.history.size()), job.history.best_epoch);
}

// EASE on the issue's split at lambda 200, the issue's measured lambda. bench/ease_reference.py
// (numpy, the same protocol) gives NDCG@100 0.3358 and Recall@20 0.3326 with every training rating
// as an interaction, which is what aekit does, and 0.3225 / 0.3115 on training positives only (the
// issue's figures): on this split the ratings below 4 still say what a user watched, and help. The
// margin is for float rounding in the solve; the issue's figures less 3% are the floor.
TEST(MovielensEndToEnd, EaseMatchesTheNumpyReferenceAndTheIssuesFigures) {
  require_movielens();
  if (IsSkipped() || HasFatalFailure()) return;
  TrainOptions o = movielens_options("ease");
  o.ease_lambda = "200";
  RecommenderJobResult job = run_recommender_job(o);
  ASSERT_TRUE(job.evaluation.has_value());
  const RecommenderEvaluation& e = *job.evaluation;
  const size_t k20 = 1, k100 = 3;  // kRankingCutoffs: 10, 20, 50, 100
  ASSERT_EQ(kRankingCutoffs[k20], 20);
  ASSERT_EQ(kRankingCutoffs[k100], 100);
  EXPECT_EQ(e.ranking.users, 610);
  EXPECT_NEAR(e.ranking.ndcg[k100], 0.3358, 0.002) << "numpy's EASE on every training rating";
  EXPECT_NEAR(e.ranking.recall[k20], 0.3326, 0.002);
  EXPECT_GT(e.ranking.ndcg[k100], 0.97 * 0.3225) << "the issue's EASE figure less 3%";
  EXPECT_GT(e.ranking.recall[k20], 0.97 * 0.3115);
  EXPECT_NEAR(e.popularity.ndcg[k100], 0.1695, 0.002) << "popularity on the same protocol";
  std::printf("ease lambda 200: NDCG@100 %.4f Recall@20 %.4f (popularity %.4f)\n", e.ranking.ndcg[k100],
              e.ranking.recall[k20], e.popularity.ndcg[k100]);
}

// mult-vae's defaults on the issue's protocol, the refit included. Measured on one thread (the same
// job as `aekit train --ratings movielens-small --holdout 0.1 --model mult-vae --threads 1`,
// BENCHMARKS.md): NDCG@100 0.3195, Recall@20 0.3143 (best epoch 79 of 89 on the carve, then 79
// epochs on all of training); seeds 1 and 2 give 0.3206 / 0.3137 and 0.3215 / 0.3224. The floors
// are that run less 3% (another machine's float rounding), which lie above the issue's PyTorch
// Mult-VAE itself (0.301 / 0.293), asserted too.
TEST(MovielensEndToEnd, MultVaeDefaultsOnTheIssuesProtocol) {
  require_movielens();
  if (IsSkipped() || HasFatalFailure()) return;
  TrainOptions o = movielens_options("mult-vae");
  o.threads = 1;  // the run measured above, bit for bit
  RecommenderJobResult job = run_recommender_job(o);
  ASSERT_TRUE(job.evaluation.has_value());
  const RecommenderEvaluation& e = *job.evaluation;
  const size_t k20 = 1, k100 = 3;
  EXPECT_EQ(e.ranking.users, 610);
  EXPECT_GT(e.ranking.ndcg[k100], 0.97 * 0.3195) << "the measured run less 3%";
  EXPECT_GT(e.ranking.recall[k20], 0.97 * 0.3143);
  EXPECT_GT(e.ranking.ndcg[k100], 0.301) << "the issue's PyTorch Mult-VAE";
  EXPECT_GT(e.ranking.recall[k20], 0.293);
  ASSERT_TRUE(job.refit_history.has_value()) << "the default refits";
  EXPECT_EQ(static_cast<int>(job.refit_history->history.size()), job.history.best_epoch);
  EXPECT_GT(e.ranking.ndcg[k100], e.popularity.ndcg[k100] + 0.05) << "far above popularity";
  std::printf("mult-vae: NDCG@100 %.4f Recall@20 %.4f, %d epochs, best %d\n", e.ranking.ndcg[k100],
              e.ranking.recall[k20], static_cast<int>(job.history.history.size()), job.history.best_epoch);
}

}  // namespace
}  // namespace aekit
