#pragma once
// The variational autoencoder's sampling layer (Kingma & Welling 2014): its input is the
// statistics of a diagonal Gaussian posterior q(z|x), the means and then the log-variances
// ([mu_1..mu_L, logvar_1..logvar_L], 2L values per sample, from a dense layer with no activation);
// its output is the code z (L values).
//   Mode::Train   z = mu + exp(logvar / 2) * eps, eps ~ N(0, I) (the reparameterisation trick),
//                 and the term  w * KL(q(z|x) || N(0, I)),  KL = -1/2 sum_j (1 + logvar - mu^2 - e^logvar),
//                 averaged over the batch and multiplied by the model's term scale (1 / output
//                 features), so that with the reconstruction loss (a mean over the output's
//                 elements) the objective is the negative ELBO per sample divided by the output size
//                 (beta = 1, Bernoulli likelihood with bce; see aekit/models/vae.h for mse).
//   Mode::Infer   z = mu: encode, eval and score are deterministic (the mean, never a sample).
// The weight w = beta * min(1, epoch / warmup) (KL annealing, Bowman et al. 2016: the first
// epoch trains the reconstruction alone, the weight reaching beta after `warmup` epochs); w = beta
// when warmup is 0. The term is reported as "kl", with its weight applied.
// anneal_steps=N anneals per update step instead, as Liang et al.'s Mult-VAE code does (their
// total_anneal_steps, with beta as their anneal_cap): w = min(beta, step / N), step being the
// 0-based count of updates before the batch (Layer::begin_step), so the weight rises by 1/N a step
// and stops at beta after beta * N steps. It does not combine with warmup.
// per_sample=true leaves out the term scale: for a reconstruction loss that is a sum over a
// sample's outputs, not a mean (Mult-VAE's multinomial likelihood, recsys/multinomial_loss.h),
// the objective is then beta * KL plus that loss per sample, as Liang et al. (2018) write it.
//   gaussian_sample(beta=1, warmup=0, anneal_steps=0, per_sample=false)
#include <aekit/core/rng.h>
#include <aekit/layers/layer.h>
#include <aekit/layers/layer_registry.h>

#include <vector>

namespace aekit {

class GaussianSample final : public Layer {
 public:
  // `latent` = L, the code size (the input has 2L values per sample).
  GaussianSample(int64_t latent, double beta, int warmup, double term_scale, uint64_t seed,
                 int64_t anneal_steps = 0);
  std::string kind() const override { return "gaussian_sample"; }
  int64_t in_features() const override { return 2 * latent_; }
  int64_t out_features() const override { return latent_; }
  void forward(ConstMatrixView x, Tensor& y, Mode mode) override;
  void backward(ConstMatrixView dy, Tensor* dx) override;
  void loss_terms(std::vector<LossTerm>& out) const override;
  void begin_epoch(int epoch) override;
  void begin_step(int64_t step) override;
  // The noise stream, so that a checkpoint resumes it where it stopped (it restarted before).
  std::vector<Rng*> generators() override { return {&rng_}; }

  // The KL weight in use (beta, annealed).
  double kl_weight() const { return weight_; }
  // Restarts the noise stream (gradient checks draw the same eps for every forward).
  void reseed(uint64_t seed) { rng_ = Rng(seed); }

 private:
  int64_t latent_;
  double beta_;
  int warmup_;
  int64_t anneal_steps_;
  double term_scale_;
  double weight_;
  Rng rng_;
  ConstMatrixView x_;
  Tensor eps_;  // the noise of the last training forward
  bool sampled_ = false;
  double value_ = 0.0;
};

// KL(N(mu, e^logvar) || N(0, I)) of each row of `stats` ([mu | logvar], 2L columns), in nats.
std::vector<double> gaussian_kl_per_row(ConstMatrixView stats);

// gaussian_sample(beta=B, warmup=E): input 2L values, output L, no parameters.
LayerPlan plan_gaussian_sample(const LayerSpec& spec, const Shape& in_shape);
BuiltLayer build_gaussian_sample(const LayerBuild& b);

}  // namespace aekit
