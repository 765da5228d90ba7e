// --refit (recsys/recommender_job.h): the validation carve chooses the epoch count, then the
// network is trained anew on every training rating for that many epochs. The refit model must be
// exactly that second run: the same bits as a run without validation for the chosen epochs.
#include <aekit/core/error.h>
#include <aekit/recsys/recommender_job.h>
#include <aekit/recsys/recommender_kinds.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace aekit {
namespace {

struct RatingsFile {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("aekit_refit_" + std::to_string(::getpid()));
  RatingsFile() {
    std::filesystem::create_directories(dir);
    std::ofstream out(dir / "ratings.csv");
    out << "user,item,rating\n";
    for (int u = 0; u < 30; ++u)
      for (int i = 0; i < 20; ++i)
        if ((u * 7 + i * 3) % 5 < 2) out << 100 + u << "," << 7 + i << "," << ((u + i) % 3 ? 4 : 2) << "\n";
  }
  ~RatingsFile() { std::filesystem::remove_all(dir); }
  std::string path() const { return (dir / "ratings.csv").string(); }
};

TrainOptions small_mult_dae(const std::string& ratings) {
  TrainOptions o;
  o.ratings = ratings;
  apply_recommender_defaults("mult-dae", o);
  o.model.encoder = {1, 6};
  o.arch_given = false;
  o.train.epochs = 12;
  o.train.patience = 3;
  o.train.batch_size = 8;
  o.train.optimizer.lr = 0.01f;
  o.threads = 1;
  return o;
}

std::vector<float> weights(const RecommenderJobResult& job) {
  std::vector<float> all;
  for (const Param& p : job.model.network.network->params())
    all.insert(all.end(), p.value->span().begin(), p.value->span().end());
  return all;
}

TEST(Refit, TrainsAnewOnEveryRatingForTheChosenEpochs) {
  RatingsFile file;
  TrainOptions o = small_mult_dae(file.path());
  o.refit = true;
  int announced = 0;
  RecommenderJobHooks hooks;
  hooks.on_refit = [&](int epochs) { announced = epochs; };
  const RecommenderJobResult refit = run_recommender_job(o, hooks);
  ASSERT_TRUE(refit.refit_history.has_value());
  const int chosen = refit.history.best_epoch;
  ASSERT_GE(chosen, 1);
  EXPECT_EQ(announced, chosen);
  EXPECT_EQ(static_cast<int>(refit.refit_history->history.size()), chosen);
  for (const EpochReport& e : refit.refit_history->history) EXPECT_TRUE(std::isnan(e.val_loss)) << "no validation";
  EXPECT_EQ(refit.model.network.training.at("refit").at("epochs").get<int>(), chosen);

  // The same as training on every rating for `chosen` epochs without a carve.
  TrainOptions direct = small_mult_dae(file.path());
  direct.refit = false;  // mult-dae's default
  direct.train.epochs = chosen;
  direct.train.validation_split = 0.0f;
  direct.train.patience = 0;
  const RecommenderJobResult all = run_recommender_job(direct);
  EXPECT_FALSE(all.refit_history.has_value());
  EXPECT_EQ(weights(refit), weights(all));

  // And not the selection run's network (which never saw the carve's ratings).
  TrainOptions selection = small_mult_dae(file.path());
  selection.refit = false;
  EXPECT_NE(weights(refit), weights(run_recommender_job(selection)));
}

TEST(Refit, NeedsAValidationCarve) {
  RatingsFile file;
  TrainOptions o = small_mult_dae(file.path());
  o.refit = true;
  o.train.validation_split = 0.0f;
  o.train.patience = 0;
  EXPECT_THROW(run_recommender_job(o), InputError);
}

}  // namespace
}  // namespace aekit
