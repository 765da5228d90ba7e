#pragma once
// One complete recommender training run as `aekit train --ratings` does it: read and split the
// ratings, map the ids, fit the bias baseline, build the network for the chosen model, train it
// through the one training loop (SparseRows), and evaluate on the test ratings when there are
// any. Saving is left to the caller so that nothing is written before training succeeds.
// With --refit the network so trained chooses only the epoch count (its best epoch on the
// validation carve); a network trained anew from the same seed on every training rating for
// that many epochs is the model, as the reference protocol selects on a carve and then
// refits on all of training. Only the selection run writes checkpoints: a stop during the refit
// leaves the last of them (if any), whose --resume finishes the selection run and refits again.
#include <aekit/options/train_options.h>
#include <aekit/recsys/recommender.h>
#include <aekit/recsys/recommender_eval.h>
#include <aekit/train/trainer.h>

#include <atomic>
#include <functional>
#include <optional>

namespace aekit {

struct RecommenderJobResult {
  Recommender model;
  TrainResult history;                         // the run on the validation carve
  std::optional<TrainResult> refit_history;    // --refit: the run on every training rating
  std::vector<Rating> test;                    // empty without --holdout or --ratings-test
  std::optional<RecommenderEvaluation> evaluation;
};

struct RecommenderJobHooks {
  // Called once the ratings are read and split (model.train holds the training matrix), before
  // anything is fitted.
  std::function<void(const Recommender& model, int64_t train_ratings, int64_t test_ratings)> on_data;
  // Called once the network is built, before the first epoch (ease, edlae: once solved).
  std::function<void(const Recommender& model)> on_start;
  // --refit: called when the selection run is over, with the epochs the refit will train.
  std::function<void(int epochs)> on_refit;
  // ease, edlae, ease-vae: a stage begins (a line to print); ease-vae: EASE's part is solved (what
  // was chosen and tried, as the model file's training["ease"]), and lambda with the mix weight
  // are chosen (training["mix"]: the pair, and every pair tried).
  std::function<void(const std::string& what)> on_stage;
  std::function<void(const std::string& kind, const nlohmann::json& ease)> on_ease;
  std::function<void(const nlohmann::json& mix)> on_mix;
  TrainObserver* observer = nullptr;
  // As TrainJobHooks::stop: set to a signal's number to stop with a checkpoint (train/checkpoint.h).
  const std::atomic<int>* stop = nullptr;
};

RecommenderJobResult run_recommender_job(TrainOptions options, const RecommenderJobHooks& hooks = {});

}  // namespace aekit
