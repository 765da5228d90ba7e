// The seeds' accumulated gradients (--preset seed-sae: never zero_grad) without a pass over every
// weight per step: SparseNetwork::add_gradients_to adds only the entries a batch reached, and
// SparseRows hands the sums to the trainer as the gradients, whose optimizer step clips and checks
// in its own pass. Checked against the straightforward computation: every gradient added whole
// into the sums, the trainer's guard, clipping in place and a plain step, over several epochs.
#include "../gradcheck/gradcheck.h"
#include "random_ratings.h"

#include <aekit/models/dense_arch.h>
#include <aekit/recsys/masked_mse.h>
#include <aekit/recsys/sparse_network.h>
#include <aekit/recsys/sparse_rows.h>
#include <aekit/train/clip.h>
#include <aekit/train/trainer.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace aekit::test {
namespace {

CsrMatrix some_ratings(int64_t rows, int64_t cols, uint64_t seed) { return random_ratings(rows, cols, seed, 0.3); }

ModelSpec seed_like(int64_t items) {
  DenseArch arch;
  arch.encoder = {items, 6, 3};
  arch.activation = "sigmoid";
  arch.output_activation = "identity";
  return arch.to_spec();
}

// A decoder layer tied to the first layer adds a dense part to its gradient.
ModelSpec with_tied_middle(int64_t items) {
  ModelSpec spec;
  spec.input_shape = {items};
  spec.encoder = parse_layer_specs("dense(out=4, activation=sigmoid)", "encoder");
  spec.decoder = parse_layer_specs("tied_dense(tie=encoder.0, out=" + std::to_string(items) +
                                       ", activation=sigmoid) dense(out=" + std::to_string(items) + ")",
                                   "decoder");
  return spec;
}

TrainConfig config_for(int64_t batch_size, float clip_norm) {
  TrainConfig c;
  c.epochs = 3;
  c.batch_size = batch_size;
  c.shuffle = false;
  c.optimizer = OptimizerConfig::defaults_for("rmsprop");
  c.optimizer.lr = 0.01f;
  c.optimizer.weight_decay = 0.5f;
  c.clip_norm = clip_norm;
  return c;
}

// The reference: the pre-fusion loop, spelled out. Every parameter's whole gradient added into its
// sum, the sums copied out as the gradients, the guard's norm, clipping in place, a plain step.
void train_reference(Autoencoder& model, const CsrMatrix& r, const TrainConfig& config) {
  SparseNetwork net(model);
  const std::vector<Param> params = model.params();
  std::vector<Tensor> sums, applied;
  std::vector<ParamRef> refs;
  for (const Param& p : params) {
    sums.emplace_back(p.grad->shape());
    applied.emplace_back(p.grad->shape());
  }
  std::vector<std::span<float>> spans;
  for (size_t i = 0; i < params.size(); ++i) {
    refs.push_back({params[i].value->data(), applied[i].data(), params[i].value->size()});
    spans.push_back(applied[i].span());
  }
  auto optimizer = make_optimizer(config.optimizer, refs);
  std::vector<float> grad;
  for (int epoch = 0; epoch < config.epochs; ++epoch)
    for (int64_t begin = 0; begin < r.rows(); begin += config.batch_size) {
      std::vector<int64_t> rows;
      for (int64_t k = begin; k < std::min(r.rows(), begin + config.batch_size); ++k) rows.push_back(k);
      const auto y = net.forward(r, r, rows, Mode::Train);
      grad.resize(y.size());
      masked_mse(y, net.targets(), MaskedNormalisation::AllColumns, static_cast<int64_t>(rows.size()), r.cols(), grad);
      net.backward(grad);
      for (size_t i = 0; i < params.size(); ++i)
        for (int64_t k = 0; k < sums[i].size(); ++k) applied[i][k] = sums[i][k] += (*params[i].grad)[k];
      const float norm = global_grad_norm(spans);
      ASSERT_TRUE(std::isfinite(norm));
      if (config.clip_norm > 0.0f) scale_to_max_norm(spans, norm, config.clip_norm);
      optimizer->step();
    }
}

void expect_same_weights(Autoencoder& a, Autoencoder& b, const std::string& what) {
  const auto pa = a.params(), pb = b.params();
  ASSERT_EQ(pa.size(), pb.size());
  for (size_t i = 0; i < pa.size(); ++i)
    for (int64_t k = 0; k < pa[i].value->size(); ++k)
      ASSERT_EQ((*pa[i].value)[k], (*pb[i].value)[k]) << what << ": " << pa[i].name << "[" << k << "]";
}

TEST(AccumulatedGradients, TrainerEqualsTheWholePassReferenceWithAndWithoutClipping) {
  const int64_t items = 17;
  const CsrMatrix r = some_ratings(11, items, 2);
  // Batch 1 as the seeds; batch 4, whose rows share columns (each column added once per batch).
  // The first weight trained in the model's layout, and transposed with its sum (the recommender
  // job's choice).
  for (const int64_t batch : {int64_t{1}, int64_t{4}})
    for (const float clip : {0.0f, 0.05f})
      for (const bool transposed : {false, true}) {
        const TrainConfig config = config_for(batch, clip);
        Autoencoder fused_model(seed_like(items), 9), reference_model(seed_like(items), 9);
        SparseRowsOptions options;
        options.normalisation = MaskedNormalisation::AllColumns;
        options.accumulate_gradients = true;
        options.transposed_first_weight = transposed;
        SparseRows rows(fused_model, r, options);
        train(rows, config);
        train_reference(reference_model, r, config);
        expect_same_weights(fused_model, reference_model,
                            "batch " + std::to_string(batch) + ", clip " + std::to_string(clip) +
                                (transposed ? ", transposed" : ""));
      }
}

// Clipping must not rescale the running sums: the next step adds to the unclipped sum.
TEST(AccumulatedGradients, ClippingLeavesTheSumsUnscaled) {
  const int64_t items = 9;
  const CsrMatrix r = some_ratings(5, items, 4);
  Autoencoder a(seed_like(items), 1), b(seed_like(items), 1);
  SparseRowsOptions options;
  options.normalisation = MaskedNormalisation::AllColumns;
  options.accumulate_gradients = true;
  SparseRows clipped(a, r, options), unclipped(b, r, options);
  TrainConfig config = config_for(1, 1e-4f);
  config.epochs = 1;
  config.optimizer.lr = 0.0f;  // the weights stay, so both runs compute the same gradients
  train(clipped, config);
  config.clip_norm = 0.0f;
  train(unclipped, config);
  const auto sa = clipped.params(), sb = unclipped.params();
  for (size_t i = 0; i < sa.size(); ++i) EXPECT_EQ(sa[i].grad->span().size(), sb[i].grad->span().size());
  for (size_t i = 0; i < sa.size(); ++i)
    for (int64_t k = 0; k < sa[i].grad->size(); ++k) ASSERT_EQ((*sa[i].grad)[k], (*sb[i].grad)[k]) << sa[i].name;
}

// add_gradients_to against adding every entry: with input dropout (the input's columns are not
// the target's), with several rows sharing columns, and with a layer that adds to the first
// layer's gradient (a tied decoder layer), where every entry must be added.
TEST(AccumulatedGradients, SparseAddEqualsTheWholeAdd) {
  const int64_t items = 15;
  const CsrMatrix input = some_ratings(8, items, 5);
  const CsrMatrix target = some_ratings(8, items, 6);
  for (const bool tied : {false, true}) {
    Autoencoder model(tied ? with_tied_middle(items) : seed_like(items), 3);
    SparseNetwork net(model);
    const std::vector<Param> params = model.params();
    std::vector<Tensor> sparse_sums, whole_sums;
    Rng rng(8);
    for (const Param& p : params) {
      sparse_sums.push_back(random_tensor(p.grad->shape(), rng, -1.0f, 1.0f));
      whole_sums.push_back(sparse_sums.back());
    }
    std::vector<float> grad;
    for (const std::vector<int64_t>& rows : {std::vector<int64_t>{0, 3, 5}, std::vector<int64_t>{7}, std::vector<int64_t>{1, 2}}) {
      const auto y = net.forward(input, target, rows, Mode::Train);
      grad.resize(y.size());
      masked_mse(y, net.targets(), MaskedNormalisation::Rated, static_cast<int64_t>(rows.size()), items, grad);
      net.backward(grad);
      net.add_gradients_to(sparse_sums);
      for (size_t i = 0; i < params.size(); ++i)
        for (int64_t k = 0; k < whole_sums[i].size(); ++k) whole_sums[i][k] += (*params[i].grad)[k];
    }
    for (size_t i = 0; i < params.size(); ++i)
      for (int64_t k = 0; k < whole_sums[i].size(); ++k)
        ASSERT_EQ(sparse_sums[i][k], whole_sums[i][k]) << (tied ? "tied " : "") << params[i].name << "[" << k << "]";
  }
}

// With defer_products_to_sums (SparseRows under accumulation) a backward of one row leaves the
// large weights' products to add_gradients_to, which adds them straight into the sums: the same
// sums, bit for bit, and the same bound as adding the gradients the backward would have written,
// in the model's layout and the transposed copy's, with input and target apart (input dropout),
// and around a batch of two rows in between (written as gradients, whose zeroing must still know
// what the earlier passes wrote).
TEST(AccumulatedGradients, DeferredProductsAddWhatTheirGradientsWould) {
  const int64_t items = 15;
  const CsrMatrix input = some_ratings(8, items, 5);
  const CsrMatrix target = some_ratings(8, items, 6);
  for (const bool transposed : {false, true}) {
    Autoencoder deferring_model(seed_like(items), 3), writing_model(seed_like(items), 3);
    SparseNetwork deferring(deferring_model), writing(writing_model);
    deferring.assume_sole_writer();
    writing.assume_sole_writer();
    if (transposed) {
      ASSERT_TRUE(deferring.train_first_weight_transposed());
      ASSERT_TRUE(writing.train_first_weight_transposed());
    }
    deferring.defer_products_to_sums();
    std::vector<Param> params = deferring_model.params();
    deferring.substitute_first_weight(params);  // the first weight's sum in the trained layout
    std::vector<Tensor> deferred_sums, written_sums;
    Rng rng(8);
    for (const Param& p : params) {
      deferred_sums.push_back(random_tensor(p.grad->shape(), rng, -1.0f, 1.0f));
      written_sums.push_back(deferred_sums.back());
    }
    std::vector<float> grad;
    for (const std::vector<int64_t>& rows :
         {std::vector<int64_t>{7}, std::vector<int64_t>{2}, std::vector<int64_t>{0, 3}, std::vector<int64_t>{3},
          std::vector<int64_t>{7}}) {
      float bounds[2];
      for (const bool defer : {true, false}) {
        SparseNetwork& net = defer ? deferring : writing;
        const auto y = net.forward(input, target, rows, Mode::Train);
        grad.resize(y.size());
        masked_mse(y, net.targets(), MaskedNormalisation::AllColumns, static_cast<int64_t>(rows.size()), items, grad);
        net.backward(grad);
        bounds[defer ? 0 : 1] = net.add_gradients_to(defer ? deferred_sums : written_sums);
      }
      EXPECT_EQ(bounds[0], bounds[1]) << "rows from " << rows.front();
      for (size_t i = 0; i < params.size(); ++i)
        for (int64_t k = 0; k < deferred_sums[i].size(); ++k)
          ASSERT_EQ(deferred_sums[i][k], written_sums[i][k])
              << (transposed ? "transposed " : "") << params[i].name << "[" << k << "] after rows from " << rows.front();
    }
  }
}

// add_gradients_to returns the largest |sum| among the entries it wrote (SparseRows keeps its bound
// from it), and infinity once one of them is NaN or infinite; a sum it did not write does not
// count, however large. Planted in each of the three sparse kinds of entry (the first layer's
// weight at an input column, the last layer's weight row and bias at a sampled output).
TEST(AccumulatedGradients, TheAddReturnsTheLargestSumItWroteAndInfinityForNaN) {
  const int64_t items = 15;
  const CsrMatrix r = some_ratings(4, items, 7);
  const std::vector<int64_t> rows{2};
  const int32_t rated = r.row_cols(2)[0];
  int32_t unrated = 0;
  while (std::find(r.row_cols(2).begin(), r.row_cols(2).end(), unrated) != r.row_cols(2).end()) ++unrated;
  // The params' order: encoder.0 weight (hidden x items), bias, ..., last weight (items x width), bias.
  for (const float planted : {1e30f, -1e30f, std::nanf(""), -std::numeric_limits<float>::infinity()})
    for (const int kind : {0, 1, 2})
      for (const bool written : {true, false}) {
        Autoencoder model(seed_like(items), 3);
        SparseNetwork net(model);
        const std::vector<Param> params = model.params();
        std::vector<Tensor> sums;
        for (const Param& p : params) sums.emplace_back(p.grad->shape());  // zeros
        const int32_t col = written ? rated : unrated;
        const size_t last = params.size() - 2;
        const int64_t width = params[last].grad->dim(1);
        if (kind == 0) sums[0][1 * items + col] = planted;             // unit 1's row, input column col
        if (kind == 1) sums[last][col * width + width - 1] = planted;  // output col's row, last element
        if (kind == 2) sums[last + 1][col] = planted;                  // output col's bias
        const auto y = net.forward(r, r, rows, Mode::Train);
        std::vector<float> grad(y.size());
        masked_mse(y, net.targets(), MaskedNormalisation::Rated, 1, items, grad);
        net.backward(grad);
        const float bound = net.add_gradients_to(sums);
        float expected = 0.0f;  // the largest |sum| among the entries the reference add changes
        bool nan = false;
        for (size_t i = 0; i < params.size(); ++i)
          for (int64_t k = 0; k < sums[i].size(); ++k)
            if ((*params[i].grad)[k] != 0.0f || (kind == 0 && i == 0 && k == 1 * items + col && written) ||
                (kind == 1 && i == last && k == col * width + width - 1 && written) ||
                (kind == 2 && i == last + 1 && k == col && written)) {
              nan = nan || !std::isfinite(sums[i][k]);
              expected = std::max(expected, std::fabs(sums[i][k]));
            }
        if (!written) {
          EXPECT_LT(bound, 1e29f) << planted << " kind " << kind << ": a sum the add did not write";
        } else if (nan) {
          EXPECT_EQ(bound, std::numeric_limits<float>::infinity()) << planted << " kind " << kind;
        } else {
          EXPECT_EQ(bound, expected) << planted << " kind " << kind;
          EXPECT_EQ(bound, 1e30f) << planted << " kind " << kind;
        }
      }
}

// A step that makes the weights non-finite stops the run (the check now rides in the update).
TEST(AccumulatedGradients, AnUpdateThatOverflowsStopsTheRun) {
  const int64_t items = 9;
  const CsrMatrix r = some_ratings(5, items, 4);
  Autoencoder model(seed_like(items), 1);
  SparseRowsOptions options;
  options.normalisation = MaskedNormalisation::AllColumns;
  options.accumulate_gradients = true;
  SparseRows rows(model, r, options);
  TrainConfig config = config_for(1, 0.0f);
  config.optimizer.lr = 3e38f;
  config.optimizer.weight_decay = 0.0f;
  EXPECT_THROW(train(rows, config), NonFiniteError);
  config.skip_nonfinite = true;  // an overflowing update cannot be skipped after the fact
  Autoencoder again(seed_like(items), 1);
  SparseRows rows_again(again, r, options);
  EXPECT_THROW(train(rows_again, config), NonFiniteError);
}

// The trainer skips the guard's norm pass while SparseRows vouches for a finite norm (a bound on
// the sums kept from the entries each step writes). Sums that are not finite (here as a checkpoint
// would restore them) or too large for the bound to prove the norm finite must not be vouched for:
// a NaN sum then still stops every update (skip_nonfinite skips them all, the weights stay), where
// a wrong vouch would let it into the weights and throw instead.
TEST(AccumulatedGradients, TheNormIsSkippedOnlyWhenTheSumsProveItFinite) {
  const int64_t items = 9;
  const CsrMatrix r = some_ratings(5, items, 4);
  SparseRowsOptions options;
  options.normalisation = MaskedNormalisation::AllColumns;
  options.accumulate_gradients = true;
  const auto first_sum = [](SparseRows& rows) -> float& {
    for (const Param& p : rows.state_tensors())
      if (p.name.starts_with("accumulated.")) return (*p.value)[0];
    throw std::logic_error("no accumulated sums");
  };
  {
    Autoencoder model(seed_like(items), 1);
    SparseRows rows(model, r, options);
    EXPECT_FALSE(rows.gradient_norm_known_finite());  // nothing added yet
    rows.train_batch(std::vector<int64_t>{0});
    EXPECT_TRUE(rows.gradient_norm_known_finite());
  }
  for (const float planted : {3e37f, std::nanf(""), std::numeric_limits<float>::infinity()}) {
    Autoencoder model(seed_like(items), 1);
    SparseRows rows(model, r, options);
    first_sum(rows) = planted;
    rows.train_batch(std::vector<int64_t>{0});
    EXPECT_FALSE(rows.gradient_norm_known_finite()) << planted;
  }
  Autoencoder model(seed_like(items), 1), untouched(seed_like(items), 1);
  SparseRows rows(model, r, options);
  first_sum(rows) = std::nanf("");
  TrainConfig config = config_for(1, 0.0f);
  config.skip_nonfinite = true;
  const TrainResult result = train(rows, config);
  EXPECT_EQ(result.skipped_batches, config.epochs * rows.rows());
  expect_same_weights(model, untouched, "every batch skipped");
}

}  // namespace
}  // namespace aekit::test
