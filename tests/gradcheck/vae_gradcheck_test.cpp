// The variational autoencoder's terms: the sampling layer's reparameterised sample and its KL
// term, by finite differences with the noise held fixed (the layer reseeded before every forward),
// alone and through whole networks with the Bernoulli (bce) and Gaussian (mse) likelihoods.
#include "gradcheck.h"

#include <aekit/core/error.h>
#include <aekit/layers/gaussian_sample.h>
#include <aekit/losses/loss.h>
#include <aekit/models/autoencoder.h>

#include <cmath>

namespace aekit::test {
namespace {

GaussianSample& sampling_layer_of(Autoencoder& net) {
  for (size_t i = 0; i < net.layer_count(); ++i)
    if (auto* s = dynamic_cast<GaussianSample*>(&net.layer(i))) return *s;
  throw std::logic_error("no gaussian_sample layer");
}

// KL(N(mu, e^lv) || N(0, 1)) of one coordinate, written out independently of the layer.
double kl_1d(double mu, double lv) { return 0.5 * (mu * mu + std::exp(lv) - 1.0 - lv); }

TEST(VaeGradcheck, SampleAndKlTermByInput) {
  const int64_t latent = 3, rows = 4;
  const double term_scale = 0.25, beta = 1.5;
  GaussianSample layer(latent, beta, 0, term_scale, 7);
  Rng rng(2);
  Tensor x = random_tensor({rows, 2 * latent}, rng, -1.0f, 1.0f);
  const Tensor r = random_tensor({rows, latent}, rng);
  Tensor y;
  auto objective = [&] {
    layer.reseed(11);
    layer.forward(x.view(), y, Mode::Train);
    std::vector<LossTerm> terms;
    layer.loss_terms(terms);
    return weighted_sum(y, r) + terms.at(0).value;
  };
  objective();
  Tensor dx;
  layer.backward(r.view(), &dx);
  expect_gradient_matches("gaussian_sample input", x, dx, objective, 1e-2, 1e-4, 1e-2);
}

TEST(VaeGradcheck, KlIsTheClosedFormAndPositive) {
  const int64_t latent = 4, rows = 3;
  Rng rng(3);
  const Tensor x = random_tensor({rows, 2 * latent}, rng, -2.0f, 2.0f);
  const std::vector<double> kl = gaussian_kl_per_row(x.view());
  double mean = 0.0;
  for (int64_t row = 0; row < rows; ++row) {
    double expected = 0.0;
    for (int64_t j = 0; j < latent; ++j) expected += kl_1d(x.row(row)[j], x.row(row)[latent + j]);
    EXPECT_NEAR(kl[static_cast<size_t>(row)], expected, 1e-9 * (1 + expected));
    EXPECT_GT(kl[static_cast<size_t>(row)], 0.0);
    EXPECT_TRUE(std::isfinite(kl[static_cast<size_t>(row)]));
    mean += kl[static_cast<size_t>(row)] / rows;
  }
  // The prior itself (mu = 0, logvar = 0) is at KL 0.
  EXPECT_EQ(gaussian_kl_per_row(Tensor({1, 2 * latent}).view())[0], 0.0);
  // The training term: beta * term scale * the batch mean.
  GaussianSample layer(latent, 2.0, 0, 0.1, 1);
  Tensor y;
  layer.forward(x.view(), y, Mode::Train);
  std::vector<LossTerm> terms;
  layer.loss_terms(terms);
  ASSERT_EQ(terms.size(), 1u);
  EXPECT_EQ(terms[0].name, "kl");
  EXPECT_NEAR(terms[0].value, 2.0 * 0.1 * mean, 1e-9);
}

TEST(VaeGradcheck, InferenceIsTheMeanAndTrainingSamplesAroundIt) {
  const int64_t latent = 2, rows = 20000;
  GaussianSample layer(latent, 1.0, 0, 1.0, 5);
  Tensor x({rows, 2 * latent});
  for (int64_t r = 0; r < rows; ++r) {
    x.row(r)[0] = 1.0f;                     // mu_1 = 1, sd 2
    x.row(r)[1] = -3.0f;                    // mu_2 = -3, sd 0.5
    x.row(r)[2] = std::log(4.0f);
    x.row(r)[3] = std::log(0.25f);
  }
  Tensor y;
  layer.forward(x.view(), y, Mode::Infer);
  for (int64_t r = 0; r < rows; ++r) {
    ASSERT_EQ(y.row(r)[0], 1.0f);
    ASSERT_EQ(y.row(r)[1], -3.0f);
  }
  std::vector<LossTerm> none;
  layer.loss_terms(none);
  EXPECT_TRUE(none.empty());  // inference adds no term
  layer.forward(x.view(), y, Mode::Train);
  double sum[2] = {0, 0}, sq[2] = {0, 0};
  for (int64_t r = 0; r < rows; ++r)
    for (int j = 0; j < 2; ++j) {
      sum[j] += y.row(r)[j];
      sq[j] += static_cast<double>(y.row(r)[j]) * y.row(r)[j];
    }
  const double m0 = sum[0] / rows, m1 = sum[1] / rows;
  EXPECT_NEAR(m0, 1.0, 0.05);
  EXPECT_NEAR(m1, -3.0, 0.0125);
  EXPECT_NEAR(std::sqrt(sq[0] / rows - m0 * m0), 2.0, 0.05);
  EXPECT_NEAR(std::sqrt(sq[1] / rows - m1 * m1), 0.5, 0.0125);
}

TEST(VaeGradcheck, KlAnnealingRaisesTheWeightToBeta) {
  GaussianSample layer(2, 3.0, 4, 1.0, 1);
  const double expected[] = {0.0, 0.75, 1.5, 2.25, 3.0, 3.0};
  for (int epoch = 0; epoch < 6; ++epoch) {
    layer.begin_epoch(epoch);
    EXPECT_DOUBLE_EQ(layer.kl_weight(), expected[epoch]) << epoch;
  }
  GaussianSample constant(2, 0.5, 0, 1.0, 1);
  constant.begin_epoch(0);
  EXPECT_DOUBLE_EQ(constant.kl_weight(), 0.5);
}

// Liang et al.'s schedule: anneal = min(anneal_cap, update_count / total_anneal_steps), per
// update and regardless of epochs.
TEST(VaeGradcheck, PerStepAnnealingRisesByOneOverNToTheCap) {
  GaussianSample layer(2, 0.2, 0, 1.0, 1, 100);
  EXPECT_DOUBLE_EQ(layer.kl_weight(), 0.0) << "the first update has no KL";
  const std::pair<int64_t, double> expected[] = {{0, 0.0}, {1, 0.01}, {7, 0.07}, {19, 0.19}, {20, 0.2}, {500, 0.2}};
  for (const auto& [step, weight] : expected) {
    layer.begin_epoch(3);  // epochs change nothing here
    layer.begin_step(step);
    EXPECT_DOUBLE_EQ(layer.kl_weight(), weight) << step;
  }
  GaussianSample by_epoch(2, 3.0, 4, 1.0, 1);
  by_epoch.begin_epoch(2);
  by_epoch.begin_step(1000);  // steps change nothing without anneal_steps
  EXPECT_DOUBLE_EQ(by_epoch.kl_weight(), 1.5);
}

TEST(VaeGradcheck, AnnealStepsIsASpecOptionThatExcludesWarmup) {
  ModelSpec spec;
  spec.input_shape = {6};
  spec.encoder = parse_layer_specs("dense(out=4) gaussian_sample(beta=0.5, anneal_steps=10)", "encoder");
  spec.decoder = parse_layer_specs("dense(out=6)", "decoder");
  Autoencoder net(spec, 3);
  GaussianSample& sample = sampling_layer_of(net);
  net.begin_step(4);
  EXPECT_DOUBLE_EQ(sample.kl_weight(), 0.4);
  net.begin_step(9);
  EXPECT_DOUBLE_EQ(sample.kl_weight(), 0.5);
  spec.encoder = parse_layer_specs("dense(out=4) gaussian_sample(warmup=2, anneal_steps=10)", "encoder");
  EXPECT_THROW(Autoencoder(spec, 3), InputError);
  spec.encoder = parse_layer_specs("dense(out=4) gaussian_sample(anneal_steps=-1)", "encoder");
  EXPECT_THROW(Autoencoder(spec, 3), InputError);
}

// d(reconstruction loss + weighted KL)/d(every parameter) of a small VAE.
void check_vae(const std::string& encoder, const std::string& decoder, const std::string& loss_name) {
  ModelSpec spec;
  spec.input_shape = {6};
  spec.encoder = parse_layer_specs(encoder, "encoder");
  spec.decoder = parse_layer_specs(decoder, "decoder");
  Autoencoder net(spec, 3);
  GaussianSample& sample = sampling_layer_of(net);
  auto loss = make_loss(loss_name);
  net.set_output_logits(loss->takes_logits());
  Rng rng(5);
  Tensor x = random_tensor({5, 6}, rng, 0.0f, 1.0f);
  Tensor grad;
  auto objective = [&] {
    sample.reseed(9);
    const double l = loss->compute(net.forward(x.view(), Mode::Train).view(), x.view(), nullptr);
    return l + net.penalty();
  };
  sample.reseed(9);
  loss->compute(net.forward(x.view(), Mode::Train).view(), x.view(), &grad);
  EXPECT_GT(net.penalty(), 0.0) << encoder;
  net.backward(grad.view());
  for (const Param& p : net.params()) {
    Tensor analytic = *p.grad;
    expect_gradient_matches(encoder + " " + p.name, *p.value, analytic, objective, 1e-2, 1e-4, 2e-2);
  }
}

TEST(VaeGradcheck, BernoulliElbo) {
  check_vae("dense(out=5, activation=tanh) dense(out=4) gaussian_sample(beta=2)",
            "dense(out=5, activation=relu) dense(out=6, activation=sigmoid)", "bce");
}

TEST(VaeGradcheck, BernoulliElboOnLogits) {
  check_vae("dense(out=4) gaussian_sample()", "dense(out=6, activation=sigmoid)", "bce_logits");
}

TEST(VaeGradcheck, GaussianElbo) {
  check_vae("dense(out=5, activation=sigmoid) dense(out=6) gaussian_sample(beta=0.5)",
            "dense(out=6, activation=identity)", "mse");
}

}  // namespace
}  // namespace aekit::test
