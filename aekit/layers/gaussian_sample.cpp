#include <aekit/layers/gaussian_sample.h>

#include <aekit/core/error.h>

#include <algorithm>
#include <cmath>

namespace aekit {

namespace {

constexpr int kMaxWarmup = 1000000;
constexpr int64_t kMaxAnnealSteps = int64_t{1} << 40;

struct Options {
  double beta;
  int warmup;
  int64_t anneal_steps;
  bool per_sample;
};

Options read_options(const LayerSpec& spec) {
  spec.check_options({"beta", "warmup", "anneal_steps", "per_sample"});
  const double beta = spec.number("beta", 1.0);
  if (!(beta >= 0.0 && beta <= 1e6)) fail("gaussian_sample: beta must be in [0, 1e6], got ", beta);
  const int64_t warmup = spec.integer("warmup", 0);
  if (warmup < 0 || warmup > kMaxWarmup) fail("gaussian_sample: warmup must be 0 to ", kMaxWarmup, " epochs, got ", warmup);
  const int64_t anneal_steps = spec.integer("anneal_steps", 0);
  if (anneal_steps < 0 || anneal_steps > kMaxAnnealSteps)
    fail("gaussian_sample: anneal_steps must be 0 to ", kMaxAnnealSteps, " steps, got ", anneal_steps);
  if (anneal_steps > 0 && warmup > 0)
    fail("gaussian_sample: warmup (", warmup, " epochs) and anneal_steps (", anneal_steps,
         " steps) both anneal the KL weight; give one");
  return {beta, static_cast<int>(warmup), anneal_steps, spec.flag("per_sample", false)};
}

}  // namespace

GaussianSample::GaussianSample(int64_t latent, double beta, int warmup, double term_scale, uint64_t seed,
                               int64_t anneal_steps)
    : latent_(latent), beta_(beta), warmup_(warmup), anneal_steps_(anneal_steps), term_scale_(term_scale), rng_(seed) {
  begin_epoch(0);
  begin_step(0);
}

void GaussianSample::begin_epoch(int epoch) {
  if (anneal_steps_ > 0) return;  // begin_step sets it
  weight_ = warmup_ == 0 ? beta_ : beta_ * std::min(1.0, static_cast<double>(epoch) / warmup_);
}

void GaussianSample::begin_step(int64_t step) {
  if (anneal_steps_ == 0) return;
  weight_ = std::min(beta_, static_cast<double>(step) / static_cast<double>(anneal_steps_));
}

std::vector<double> gaussian_kl_per_row(ConstMatrixView stats) {
  AEKIT_ASSERT(stats.cols % 2 == 0, "gaussian statistics need an even number of columns");
  const int64_t latent = stats.cols / 2;
  std::vector<double> kl(static_cast<size_t>(stats.rows), 0.0);
  for (int64_t r = 0; r < stats.rows; ++r) {
    const float* mu = stats.row(r);
    const float* logvar = mu + latent;
    double sum = 0.0;
    for (int64_t j = 0; j < latent; ++j) {
      const double m = mu[j], lv = logvar[j];
      sum += 1.0 + lv - m * m - std::exp(lv);
    }
    kl[static_cast<size_t>(r)] = -0.5 * sum;
  }
  return kl;
}

void GaussianSample::forward(ConstMatrixView x, Tensor& y, Mode mode) {
  y.resize({x.rows, latent_});
  x_ = x;
  sampled_ = mode == Mode::Train && x.rows > 0;
  value_ = 0.0;
  if (!sampled_) {
    for (int64_t r = 0; r < x.rows; ++r) std::copy_n(x.row(r), latent_, y.row(r));
    return;
  }
  eps_.resize({x.rows, latent_});
  // Serial draws from one generator: the same seed samples the same way on any thread count.
  for (float& e : eps_.span()) e = rng_.normal();
  for (int64_t r = 0; r < x.rows; ++r) {
    const float* mu = x.row(r);
    const float* logvar = mu + latent_;
    const float* e = eps_.row(r);
    float* z = y.row(r);
    for (int64_t j = 0; j < latent_; ++j) z[j] = mu[j] + std::exp(0.5f * logvar[j]) * e[j];
  }
  if (weight_ > 0.0) {
    double kl = 0.0;
    for (double v : gaussian_kl_per_row(x)) kl += v;
    value_ = weight_ * term_scale_ * kl / static_cast<double>(x.rows);
  }
}

void GaussianSample::backward(ConstMatrixView dy, Tensor* dx) {
  if (!dx) return;
  dx->resize({dy.rows, 2 * latent_});
  // dz/dmu = 1, dz/dlogvar = eps * exp(logvar / 2) / 2; the KL adds c * mu and c * (e^logvar - 1) / 2.
  const double c = sampled_ ? weight_ * term_scale_ / static_cast<double>(dy.rows) : 0.0;
  for (int64_t r = 0; r < dy.rows; ++r) {
    const float* g = dy.row(r);
    float* dmu = dx->row(r);
    float* dlogvar = dmu + latent_;
    if (!sampled_) {
      std::copy_n(g, latent_, dmu);
      std::fill_n(dlogvar, latent_, 0.0f);
      continue;
    }
    const float* mu = x_.row(r);
    const float* logvar = mu + latent_;
    const float* e = eps_.row(r);
    for (int64_t j = 0; j < latent_; ++j) {
      const double sd = std::exp(0.5 * logvar[j]);
      dmu[j] = static_cast<float>(g[j] + c * mu[j]);
      dlogvar[j] = static_cast<float>(0.5 * g[j] * e[j] * sd + 0.5 * c * (sd * sd - 1.0));
    }
  }
}

void GaussianSample::loss_terms(std::vector<LossTerm>& out) const {
  if (sampled_) out.push_back({"kl", value_});
}

LayerPlan plan_gaussian_sample(const LayerSpec& spec, const Shape& in_shape) {
  read_options(spec);
  if (in_shape.size() != 1)
    fail("gaussian_sample takes a vector of means and log-variances, got a ", shape_string(in_shape),
         " image (flatten it and add a dense layer first)");
  if (in_shape[0] % 2 != 0)
    fail("gaussian_sample takes 2L values per sample (L means, then L log-variances), got ", in_shape[0]);
  return {{in_shape[0] / 2}, {}, {}};
}

BuiltLayer build_gaussian_sample(const LayerBuild& b) {
  const LayerPlan plan = plan_gaussian_sample(b.spec, b.in_shape);
  const Options o = read_options(b.spec);
  // per_sample: the reconstruction loss is a sum over the sample's outputs, so is the KL.
  const double term_scale = o.per_sample ? 1.0 : b.term_scale;
  return {std::make_unique<GaussianSample>(plan.out_shape[0], o.beta, o.warmup, term_scale, b.rng.next_u64(),
                                           o.anneal_steps),
          plan.out_shape};
}

}  // namespace aekit
