// A recommender's sparse step runs its loops on the worker team, at a thread count StepThreads may
// change from one step to the next (core/step_threads.h). That is only sound because every value
// of the step is computed by one thread in a fixed order whatever the count: training on one
// thread and on three must give the same model bit for bit, with the fused AdamW update, with the
// optimizer's own step (clipping), with input dropout, with accumulated gradients (the seeds'
// preset), and with dense re-feeding, whose steps stay in OpenMP regions at the run's count.
//
// Mult-VAE's and Mult-DAE's steps (ImplicitRows) run on the team too, with their dense products
// in blocks set by the run's thread count (backend/cpu/team_products.h): at a given run's count,
// the model must not depend on how many of the team's threads each step used.
#include <aekit/core/parallel_for.h>
#include <aekit/core/threads.h>
#include <aekit/models/dense_arch.h>
#include <aekit/recsys/implicit_rows.h>
#include <aekit/train/optimizer.h>
#include <aekit/recsys/sparse_rows.h>
#include <aekit/train/trainer.h>
#include <gtest/gtest.h>

#include "autorec_spec.h"
#include "random_ratings.h"

#include <functional>
#include <string>
#include <vector>

namespace aekit::test {
namespace {

struct TeamCase {
  std::string name;
  std::string optimizer = "adamw";
  float clip = 0.0f;
  float input_dropout = 0.0f;
  bool accumulate = false;
  int refeed = 0;
};

std::vector<std::vector<float>> train_at(const TeamCase& c, int threads) {
  // 1,700 hidden units: every loop of the step is above its threshold for going parallel.
  const CsrMatrix ratings = random_ratings(60, 47, 11, 0.2);
  Autoencoder net(autorec_spec(47, 1700), 5);
  SparseRowsOptions options;
  options.input_dropout = c.input_dropout;
  options.accumulate_gradients = c.accumulate;
  options.refeed = c.refeed;
  options.transposed_first_weight = c.refeed == 0;
  options.seed = 2;
  SparseRows rows(net, ratings, options);
  TrainConfig config;
  config.epochs = 3;
  config.batch_size = c.accumulate ? 1 : 8;
  config.optimizer = OptimizerConfig::defaults_for(c.optimizer);
  config.optimizer.lr = 0.01f;
  config.optimizer.weight_decay = 0.1f;
  config.clip_norm = c.clip;
  config.validation_split = 0.2f;
  config.patience = 2;
  const int before = num_threads();
  set_num_threads(threads);
  train(rows, config);
  set_num_threads(before);
  std::vector<std::vector<float>> out;
  for (const Param& p : net.params()) out.emplace_back(p.value->span().begin(), p.value->span().end());
  return out;
}

TEST(TeamThreads, OneAndThreeThreadsTrainTheSameModel) {
  const std::vector<TeamCase> cases = {
      {.name = "fused adamw"},
      {.name = "adamw stepped (clipping)", .clip = 1.0f},
      {.name = "adam with input dropout", .optimizer = "adam", .input_dropout = 0.5f},
      {.name = "accumulated rmsprop", .optimizer = "rmsprop", .accumulate = true},
      {.name = "re-feeding", .optimizer = "adam", .refeed = 1},
  };
  for (const TeamCase& c : cases) {
    const auto one = train_at(c, 1), three = train_at(c, 3);
    ASSERT_EQ(one.size(), three.size());
    for (size_t t = 0; t < one.size(); ++t)
      for (size_t i = 0; i < one[t].size(); ++i)
        ASSERT_EQ(one[t][i], three[t][i]) << c.name << ": tensor " << t << "[" << i << "]";
  }
}

// `steps` steps of ImplicitRows at a run of 2 threads, step i on team_threads(i) of the team.
std::vector<std::vector<float>> implicit_steps(const std::function<int(int)>& team_threads, int steps) {
  // 300-600-200-600-300 at batch 64: the products are split in two, the last layer's gradient in 5
  // blocks, and the 200 -> 600 layer's weight gradient (600 x 200 x 64) is a product whose halves
  // oneDNN sums in another order than the whole.
  constexpr int64_t kItems = 300;
  DenseArch arch;
  arch.encoder = {kItems, 600, 200};
  arch.activation = "tanh";
  arch.output_activation = "identity";
  Autoencoder net(arch.to_spec(), 5);
  const CsrMatrix interactions = random_ratings(100, kItems, 9, 0.1, RatingKind::Implicit);
  ImplicitRows rows(net, interactions, ImplicitRowsOptions{0.5f, 3, /*transposed_first_weight=*/true});
  std::vector<ParamRef> refs;
  for (const Param& p : rows.params()) refs.push_back({p.value->data(), p.grad->data(), p.value->size()});
  const auto optimizer = make_optimizer(OptimizerConfig::defaults_for("adam"), refs);
  rows.use_row_updates(*optimizer);
  const int before = num_threads();
  set_num_threads(2);
  for (int i = 0; i < steps; ++i) {
    const LoopsOnTeam on_team(team_threads(i));
    std::vector<int64_t> batch;
    for (int64_t b = 0; b < 64; ++b) batch.push_back((i * 64 + b) % rows.rows());
    rows.train_batch(batch);
    optimizer->step();
  }
  set_num_threads(before);
  rows.end_training();
  std::vector<std::vector<float>> out;
  for (const Param& p : net.params()) out.emplace_back(p.value->span().begin(), p.value->span().end());
  return out;
}

TEST(TeamThreads, ImplicitRowsTrainTheSameModelWhateverEachStepsTeamSize) {
  const auto two = implicit_steps([](int) { return 2; }, 4);
  const auto one = implicit_steps([](int) { return 1; }, 4);
  const auto mixed = implicit_steps([](int i) { return 1 + i % 2; }, 4);
  ASSERT_EQ(one.size(), two.size());
  for (size_t t = 0; t < one.size(); ++t)
    for (size_t i = 0; i < one[t].size(); ++i) {
      ASSERT_EQ(two[t][i], one[t][i]) << "tensor " << t << "[" << i << "]";
      ASSERT_EQ(two[t][i], mixed[t][i]) << "tensor " << t << "[" << i << "]";
    }
}

}  // namespace
}  // namespace aekit::test
