#include <aekit/models/vae.h>

#include <aekit/core/error.h>
#include <aekit/core/rng.h>
#include <aekit/layers/gaussian_sample.h>
#include <aekit/losses/loss.h>
#include <aekit/train/trainer.h>

#include <cmath>
#include <numbers>

namespace aekit {

std::optional<size_t> sampling_layer(const Autoencoder& net) {
  for (size_t i = 0; i < net.layer_count(); ++i)
    if (net.layer(i).kind() == "gaussian_sample") return i;
  return std::nullopt;
}

void require_generative(const Autoencoder& net, const std::string& source) {
  const std::optional<size_t> i = sampling_layer(net);
  if (!i) fail(source, " is not a variational autoencoder (no gaussian_sample layer; train with --variational)");
  if (*i + 1 != net.code_end())
    fail(source, ": the VAE's code is not its gaussian_sample layer's output (layers follow it in the encoder)");
}

std::string likelihood_of_loss(const std::string& loss) {
  if (loss == "bce" || loss == "bce_logits") return "bernoulli";
  if (loss == "mse") return "gaussian";
  return "";
}

ElboReport evaluate_elbo(Autoencoder& net, ConstMatrixView x, const std::string& loss) {
  const std::optional<size_t> layer = sampling_layer(net);
  if (!layer) fail("the model is not a variational autoencoder (no gaussian_sample layer)");
  ElboReport report;
  if (x.rows == 0) return report;
  const Tensor stats = *layer == 0 ? Tensor() : net.infer_layers(0, *layer, x);
  double kl = 0.0;
  for (double v : gaussian_kl_per_row(*layer == 0 ? x : stats.view())) kl += v;
  report.kl = kl / static_cast<double>(x.rows);
  report.likelihood = likelihood_of_loss(loss);
  if (report.likelihood.empty()) return report;
  // The losses are means over every element: times D gives the per-sample sum.
  const auto d = static_cast<double>(x.cols);
  report.reconstruction = evaluate_loss(net, x, *make_loss(loss)) * d;
  if (report.likelihood == "gaussian") report.reconstruction += 0.5 * d * std::log(std::numbers::pi);
  report.elbo = -(report.reconstruction + report.kl);
  return report;
}

Tensor sample_prior(int64_t n, int64_t latent, uint64_t seed) {
  Rng rng(seed);
  Tensor z({n, latent});
  for (float& v : z.span()) v = rng.normal();
  return z;
}

double normal_quantile(double p) {
  AEKIT_ASSERT(p > 0.0 && p < 1.0, "normal_quantile: p = ", p);
  // Bisection on the CDF 0.5 erfc(-x / sqrt 2): slow but exact to double precision, and only ever
  // asked for a grid's few dozen points.
  double lo = -40.0, hi = 40.0;
  for (int i = 0; i < 200 && hi - lo > 1e-15; ++i) {
    const double mid = 0.5 * (lo + hi);
    (0.5 * std::erfc(-mid / std::numbers::sqrt2) < p ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

Tensor latent_grid(int64_t per_side) {
  Tensor z({per_side * per_side, 2});
  for (int64_t row = 0; row < per_side; ++row)
    for (int64_t col = 0; col < per_side; ++col) {
      float* v = z.row(row * per_side + col);
      v[0] = static_cast<float>(normal_quantile((static_cast<double>(col) + 0.5) / static_cast<double>(per_side)));
      v[1] = static_cast<float>(
          normal_quantile((static_cast<double>(per_side - 1 - row) + 0.5) / static_cast<double>(per_side)));
    }
  return z;
}

}  // namespace aekit
