#pragma once
// What makes an autoencoder variational, seen from outside the network: its gaussian_sample layer
// (aekit/layers/gaussian_sample.h), the evidence lower bound (ELBO) on data, and codes drawn from
// the prior for generation.
//
// The ELBO per sample is  E_q[log p(x|z)] - KL(q(z|x) || N(0, I)), in nats. aekit evaluates it
// deterministically, with the reconstruction at the posterior mean (z = mu, as encode and score),
// so the number is the same on every run:
//   bernoulli (loss bce or bce_logits)  log p(x|z) = -sum_i BCE(x_i, y_i), as PyTorch's VAE example
//                                       (grey values in [0, 1] as targets)
//   gaussian  (loss mse)                p(x|z) = N(y, 1/2 I): log p = -sum_i (x_i - y_i)^2 - D/2 log(pi),
//                                       the variance for which the mean squared error plus the KL
//                                       term (scaled by 1/D) is exactly -ELBO / D
// Other losses have no likelihood here: the KL is still reported. All in the model's input space
// (after preprocessing).
#include <aekit/core/tensor.h>
#include <aekit/models/autoencoder.h>

#include <cstdint>
#include <optional>
#include <string>

namespace aekit {

// The index of the network's gaussian_sample layer, if it has one.
std::optional<size_t> sampling_layer(const Autoencoder& net);
// InputError naming `source` unless the network is a VAE whose code is its sampling layer's output
// (what `generate` decodes).
void require_generative(const Autoencoder& net, const std::string& source);

struct ElboReport {
  std::string likelihood;  // "bernoulli", "gaussian", or "" when the loss has none
  double reconstruction = 0;  // -log p(x|z=mu) per sample (nats); 0 without a likelihood
  double kl = 0;              // KL(q(z|x) || N(0, I)) per sample (nats)
  double elbo = 0;            // -(reconstruction + kl); meaningful only with a likelihood
};

// "bernoulli", "gaussian" or "" for a loss name.
std::string likelihood_of_loss(const std::string& loss);
// The ELBO of the VAE `net` (trained with `loss`) on the rows of x; InputError when it is no VAE.
ElboReport evaluate_elbo(Autoencoder& net, ConstMatrixView x, const std::string& loss);

// n codes of `latent` values drawn from N(0, I) with `seed`.
Tensor sample_prior(int64_t n, int64_t latent, uint64_t seed);
// per_side^2 codes of 2 values: the standard normal's quantiles of per_side evenly spaced
// probabilities (k + 1/2) / per_side, the first coordinate across (columns), the second down
// (rows, largest at the top), as Kingma & Welling draw the learnt 2-D manifold.
Tensor latent_grid(int64_t per_side);
// The standard normal's quantile function, for p in (0, 1).
double normal_quantile(double p);

}  // namespace aekit
