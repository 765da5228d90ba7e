// SparseRows with the first layer's weight trained transposed (SparseRowsOptions::
// transposed_first_weight) trains the same model bit for bit as the model's own layout: AdamW
// and RMSprop, panel-sized and gathered-sized batches, a validation carve with early stopping (the
// best weights are restored in the copy's layout), with and without the seeds' accumulated
// gradients, and the model holds the result when train() returns. The copy is refused where its layout would not be the one trained.
// ImplicitRows (mult-vae, mult-dae) likewise.
#include <aekit/recsys/implicit_rows.h>
#include <aekit/recsys/recommender_job.h>
#include <aekit/recsys/recommender_kinds.h>
#include <aekit/recsys/sparse_rows.h>
#include <aekit/train/trainer.h>
#include <gtest/gtest.h>

#include "autorec_spec.h"
#include "random_ratings.h"

#include <string>
#include <vector>

namespace aekit::test {
namespace {

struct Trained {
  std::vector<std::vector<float>> tensors;
  std::vector<std::string> param_names;  // as the source hands them to the optimizer
};

SparseRowsOptions options_for(bool transposed, bool accumulate) {
  SparseRowsOptions options;
  options.transposed_first_weight = transposed;
  options.accumulate_gradients = accumulate;
  return options;
}

// Four epochs of `source` (the optimizer's parameter names as it hands them over, and the model's
// tensors after): lr 0.01, early stopping after one epoch without gain when there is a carve.
Trained train_four_epochs(BatchSource& source, Autoencoder& net, const std::string& optimizer, float weight_decay,
                          int64_t batch, float validation) {
  Trained out;
  for (const Param& p : source.params()) out.param_names.push_back(p.name);
  TrainConfig config;
  config.epochs = 4;
  config.batch_size = batch;
  config.optimizer = OptimizerConfig::defaults_for(optimizer);
  config.optimizer.lr = 0.01f;
  config.optimizer.weight_decay = weight_decay;
  config.validation_split = validation;
  config.patience = validation > 0 ? 1 : 0;
  train(source, config);
  for (const Param& p : net.params()) out.tensors.emplace_back(p.value->span().begin(), p.value->span().end());
  return out;
}

// Every tensor of `copy` equal to `plain`'s, bit for bit (fatal at the first that is not).
void expect_same_tensors(const Trained& plain, const Trained& copy, const std::string& what) {
  ASSERT_EQ(plain.tensors.size(), copy.tensors.size());
  for (size_t t = 0; t < plain.tensors.size(); ++t)
    for (size_t i = 0; i < plain.tensors[t].size(); ++i)
      ASSERT_EQ(plain.tensors[t][i], copy.tensors[t][i]) << what << ": tensor " << t << "[" << i << "]";
}

Trained train_once(bool transposed, const std::string& optimizer, int64_t batch, float validation, bool accumulate) {
  const CsrMatrix ratings = random_ratings(60, 37, 3, 0.3);
  Autoencoder net(autorec_spec(37, 45), 9);
  SparseRows rows(net, ratings, options_for(transposed, accumulate));
  return train_four_epochs(rows, net, optimizer, 0.1f, batch, validation);
}

TEST(TransposedFirstWeight, TrainsTheSameModelBitForBit) {
  for (const std::string optimizer : {"adamw", "rmsprop"})
    for (const int64_t batch : {16, 1})  // panel-sized batches, and single rows (fewer entries than inputs)
      for (const float validation : {0.0f, 0.2f})
        for (const bool accumulate : {false, true}) {  // the seeds' sums (seed-sae) in the copy's layout too
          const Trained plain = train_once(false, optimizer, batch, validation, accumulate);
          const Trained copy = train_once(true, optimizer, batch, validation, accumulate);
          ASSERT_NO_FATAL_FAILURE(expect_same_tensors(plain, copy,
                                                      optimizer + " batch " + std::to_string(batch) + " validation " +
                                                          std::to_string(validation) + " accumulate " +
                                                          std::to_string(accumulate)));
          // The copy is what the optimizer (and a checkpoint) sees, under a name of its own.
          EXPECT_EQ(copy.param_names[0], plain.param_names[0] + ".transposed");
          EXPECT_EQ(copy.param_names[1], plain.param_names[1]);
        }
}

TEST(TransposedFirstWeight, RefusedWhereTheModelsLayoutIsTrained) {
  const CsrMatrix ratings = random_ratings(20, 37, 4, 0.3);
  Autoencoder net(autorec_spec(37, 11), 2);
  SparseRowsOptions refeed;
  refeed.transposed_first_weight = true;
  refeed.refeed = 1;  // its dense passes read the model's weight
  SparseRows rows(net, ratings, refeed);
  const std::vector<Param> params = rows.params();
  EXPECT_EQ(params[0].value, net.params()[0].value);
}

// Under the seeds' accumulated gradients (--preset seed-sae) the first weight's running sum takes
// the copy's layout with it: the trainer steps on the sums, so the optimizer's arrays for that
// weight, its sum and the copy are element for element the model layout's, transposed.
TEST(TransposedFirstWeight, AccumulatedSumsTakeTheCopysLayout) {
  const CsrMatrix ratings = random_ratings(20, 37, 4, 0.3);
  Autoencoder net(autorec_spec(37, 11), 2);
  SparseRows rows(net, ratings, options_for(true, true));
  const std::vector<Param> params = rows.params();
  EXPECT_NE(params[0].value, net.params()[0].value);
  EXPECT_EQ(params[0].name, net.params()[0].name + ".transposed");
  EXPECT_EQ(params[0].grad->shape(), (Shape{37, 11}));  // inputs x hidden, as the copy
  bool named = false;
  for (const Param& p : rows.state_tensors()) named = named || p.name == "accumulated." + params[0].name;
  EXPECT_TRUE(named) << "the checkpoint's name of the sum says its layout";
}

// ImplicitRows (mult-vae, mult-dae) with the copy (ImplicitRowsOptions::transposed_first_weight)
// trains the same model as with the model's layout, with a validation carve and early stopping too.
Trained train_implicit_once(const std::string& kind, bool transposed, float validation) {
  constexpr int64_t kItems = 41;
  TrainOptions o;
  apply_recommender_defaults(kind, o);
  o.model.encoder = {kItems, 9, 3};
  o.loss = "multinomial";
  Autoencoder net(o.model_spec(Shape{kItems}), 5);
  const CsrMatrix interactions = random_ratings(30, kItems, 6, 0.3, RatingKind::Implicit);
  ImplicitRows rows(net, interactions, ImplicitRowsOptions{0.5f, 7, transposed});
  return train_four_epochs(rows, net, "adam", OptimizerConfig::defaults_for("adam").weight_decay, 8, validation);
}

TEST(TransposedFirstWeight, ImplicitRowsTrainTheSameModelBitForBit) {
  for (const std::string kind : {"mult-vae", "mult-dae"})
    for (const float validation : {0.0f, 0.2f}) {
      const Trained plain = train_implicit_once(kind, false, validation);
      const Trained copy = train_implicit_once(kind, true, validation);
      ASSERT_NO_FATAL_FAILURE(expect_same_tensors(plain, copy, kind + " validation " + std::to_string(validation)));
      EXPECT_EQ(copy.param_names[0], plain.param_names[0] + ".transposed");
    }
}

}  // namespace
}  // namespace aekit::test
