// The variational autoencoder (issue 7, point 6) on 2000 MNIST digits: a 784-256-16 VAE with a
// Bernoulli likelihood learns a code that carries information (KL well above 0, finite), an ELBO
// on held-out digits far above the best independent-pixel model's (the mean image's likelihood),
// samples from the prior that decode to the data's range and vary, deterministic encoding, and a
// larger beta buys a smaller KL.
#include "family_data.h"

#include <aekit/layers/gaussian_sample.h>
#include <aekit/models/vae.h>
#include <aekit/options/train_options.h>

#include <cmath>

namespace aekit::test {
namespace {

std::unique_ptr<Autoencoder> trained_vae(double beta) {
  TrainOptions o;
  o.model.encoder = {784, 256, 16};
  o.model.activation = "relu";
  o.loss = "bce";
  o.variational = true;
  o.beta = beta;
  auto net = std::make_unique<Autoencoder>(o.model_spec({784}), 1);
  train_on_mnist_subset(*net, "bce", 6);
  return net;
}

// -log p(x) per digit (nats) of independent pixels with the training set's mean intensities.
double mean_image_nll(const Tensor& train, const Tensor& test) {
  std::vector<double> mean(static_cast<size_t>(train.cols()), 0.0);
  for (int64_t r = 0; r < train.rows(); ++r)
    for (int64_t c = 0; c < train.cols(); ++c) mean[static_cast<size_t>(c)] += train.row(r)[c] / static_cast<double>(train.rows());
  double nll = 0.0;
  for (int64_t r = 0; r < test.rows(); ++r)
    for (int64_t c = 0; c < test.cols(); ++c) {
      const double p = std::clamp(mean[static_cast<size_t>(c)], 1e-6, 1 - 1e-6), t = test.row(r)[c];
      nll -= t * std::log(p) + (1 - t) * std::log(1 - p);
    }
  return nll / static_cast<double>(test.rows());
}

TEST(VariationalAutoencoder, LearnsAnElboFarAboveTheMeanImageAndSamplesInRange) {
  require_mnist();
  if (IsSkipped() || HasFatalFailure()) return;
  auto net = trained_vae(1.0);
  const Tensor test = mnist_subset("test", 1000, 2);
  const ElboReport r = evaluate_elbo(*net, test.view(), "bce");
  const double baseline = mean_image_nll(mnist_subset("train", 2000, 1), test);
  std::printf("test ELBO %.2f nats per digit (reconstruction %.2f, KL %.2f); mean image -log p %.2f\n", r.elbo,
              r.reconstruction, r.kl, baseline);
  EXPECT_EQ(r.likelihood, "bernoulli");
  EXPECT_TRUE(std::isfinite(r.kl));
  EXPECT_GT(r.kl, 5.0);  // the code is used (no posterior collapse)
  EXPECT_DOUBLE_EQ(r.elbo, -(r.reconstruction + r.kl));
  EXPECT_LT(-r.elbo, 0.75 * baseline);

  // Deterministic: the code is the posterior mean, the same on every call.
  const Tensor a = net->encode(test.view()), b = net->encode(test.view());
  for (int64_t i = 0; i < a.size(); ++i) ASSERT_EQ(a[i], b[i]);
  EXPECT_EQ(evaluate_elbo(*net, test.view(), "bce").elbo, r.elbo);

  // Samples from the prior decode to the data's range [0, 1], about as bright as digits, and differ.
  require_generative(*net, "vae");
  const Tensor samples = net->decode(sample_prior(64, net->code_size(), 3).view());
  double mean = 0.0, data_mean = 0.0, spread = 0.0;
  for (float v : samples.span()) {
    ASSERT_GE(v, 0.0f);
    ASSERT_LE(v, 1.0f);
    mean += v / static_cast<double>(samples.size());
  }
  for (float v : test.span()) data_mean += v / static_cast<double>(test.size());
  for (int64_t c = 0; c < samples.cols(); ++c) {
    double m = 0.0, sq = 0.0;
    for (int64_t r2 = 0; r2 < samples.rows(); ++r2) {
      m += samples.row(r2)[c] / 64.0;
      sq += samples.row(r2)[c] * samples.row(r2)[c] / 64.0;
    }
    spread += std::sqrt(std::max(0.0, sq - m * m)) / static_cast<double>(samples.cols());
  }
  std::printf("samples: mean intensity %.3f (test digits %.3f), mean per-pixel spread %.3f\n", mean, data_mean, spread);
  EXPECT_NEAR(mean, data_mean, 0.05);
  EXPECT_GT(spread, 0.05);
}

TEST(VariationalAutoencoder, LargerBetaGivesASmallerKl) {
  require_mnist();
  if (IsSkipped() || HasFatalFailure()) return;
  const Tensor test = mnist_subset("test", 1000, 2);
  const double kl1 = evaluate_elbo(*trained_vae(1.0), test.view(), "bce").kl;
  const double kl4 = evaluate_elbo(*trained_vae(4.0), test.view(), "bce").kl;
  std::printf("test KL per digit: beta 1 %.2f, beta 4 %.2f\n", kl1, kl4);
  EXPECT_LT(kl4, 0.7 * kl1);
}

}  // namespace
}  // namespace aekit::test
