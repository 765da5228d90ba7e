#include <aekit/pretrain/rbm.h>

#include <aekit/backend/cpu/gemm.h>
#include <aekit/core/error.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

namespace aekit {

namespace {

float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }
double softplus(double x) { return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); }

// out (rows x n) = act(in (rows x k) * op(W) + bias): op(W) = W^T (k = visible) or W (k = hidden).
void affine(ConstMatrixView in, const Tensor& w, bool transpose_w, const Tensor& bias, Units units, Tensor& out) {
  const int64_t n = bias.size();
  out.resize({in.rows, n});
  for (int64_t r = 0; r < in.rows; ++r) std::memcpy(out.row(r), bias.data(), static_cast<size_t>(n) * sizeof(float));
  if (in.rows == 0) return;
  cpu::gemm(false, transpose_w, in.rows, n, in.cols, 1.0f, in.data, in.cols, w.data(), w.dim(1), 1.0f, out.data(), n);
  if (units == Units::Bernoulli)
    for (float& v : out.span()) v = sigmoid(v);
}

}  // namespace

const char* units_name(Units u) { return u == Units::Bernoulli ? "bernoulli" : "gaussian"; }

void RbmConfig::validate() const {
  if (epochs < 1) fail("pretraining epochs must be at least 1, got ", epochs);
  if (batch_size < 1) fail("pretraining batch size must be at least 1, got ", batch_size);
  if (!(lr > 0.0f)) fail("RBM learning rate must be > 0, got ", lr);
  if (!(weight_cost >= 0.0f)) fail("RBM weight cost must be >= 0, got ", weight_cost);
  if (cd_k < 1 || cd_k > 1000) fail("--cd-k must be 1 to 1000, got ", cd_k);
}

Rbm::Rbm(int64_t visible, int64_t hidden, Units visible_units, Units hidden_units, Rng& rng)
    : visible_units_(visible_units), hidden_units_(hidden_units), weight_({hidden, visible}),
      visible_bias_({visible}), hidden_bias_({hidden}), weight_inc_({hidden, visible}), visible_inc_({visible}),
      hidden_inc_({hidden}) {
  for (float& w : weight_.span()) w = rng.normal(0.0f, 0.1f);
}

void Rbm::hidden_mean(ConstMatrixView v, Tensor& h) const { affine(v, weight_, true, hidden_bias_, hidden_units_, h); }

void Rbm::visible_mean(ConstMatrixView h, Tensor& v) const { affine(h, weight_, false, visible_bias_, visible_units_, v); }

double Rbm::free_energy(ConstMatrixView v) const {
  Tensor pre;
  affine(v, weight_, true, hidden_bias_, Units::Gaussian, pre);  // c + W v, no activation
  double total = 0.0;
  for (int64_t r = 0; r < v.rows; ++r) {
    double f = 0.0;
    for (int64_t i = 0; i < v.cols; ++i) {
      const double x = v.row(r)[i], b = visible_bias_[i];
      f += visible_units_ == Units::Bernoulli ? -b * x : 0.5 * (x - b) * (x - b);
    }
    for (int64_t j = 0; j < pre.cols(); ++j) {
      const double a = pre.row(r)[j];
      f -= hidden_units_ == Units::Bernoulli ? softplus(a) : 0.5 * a * a;
    }
    total += f;
  }
  return v.rows ? total / static_cast<double>(v.rows) : 0.0;
}

void Rbm::cd_gradient(ConstMatrixView v0, ConstMatrixView vk, Tensor& grad_weight, Tensor& grad_visible,
                      Tensor& grad_hidden) const {
  AEKIT_ASSERT(v0.rows == vk.rows && v0.cols == vk.cols, "cd_gradient: batches differ in shape");
  Tensor h0, hk;
  hidden_mean(v0, h0);
  hidden_mean(vk, hk);
  const int64_t n = v0.rows;
  const auto inv = 1.0f / static_cast<float>(std::max<int64_t>(n, 1));
  grad_weight.resize({hidden(), visible()});
  // <h0 v0> - <hk vk>: two products accumulated into one gradient.
  cpu::gemm(true, false, hidden(), visible(), n, inv, h0.data(), hidden(), v0.data, visible(), 0.0f, grad_weight.data(),
            visible());
  cpu::gemm(true, false, hidden(), visible(), n, -inv, hk.data(), hidden(), vk.data, visible(), 1.0f, grad_weight.data(),
            visible());
  grad_visible.resize({visible()});
  grad_hidden.resize({hidden()});
  grad_visible.fill(0.0f);
  grad_hidden.fill(0.0f);
  for (int64_t r = 0; r < n; ++r) {
    for (int64_t i = 0; i < visible(); ++i) {
      // dF/db_i = -v_i (Bernoulli) or -(v_i - b_i) (Gaussian): the b_i terms cancel between phases.
      grad_visible[i] += (v0.row(r)[i] - vk.row(r)[i]) * inv;
    }
    for (int64_t j = 0; j < hidden(); ++j) grad_hidden[j] += (h0.row(r)[j] - hk.row(r)[j]) * inv;
  }
}

double Rbm::reconstruction_error(ConstMatrixView v) const {
  Tensor h, back;
  hidden_mean(v, h);
  visible_mean(h.view(), back);
  double sse = 0.0;
  for (int64_t i = 0; i < v.size(); ++i) {
    const double d = static_cast<double>(back[i]) - v.data[i];
    sse += d * d;
  }
  return v.size() ? sse / static_cast<double>(v.size()) : 0.0;
}

void Rbm::sample(Units units, Tensor& means, Rng& rng) const {
  // Serial draws from one generator: the same seed gives the same weights on any thread count.
  if (units == Units::Bernoulli)
    for (float& p : means.span()) p = rng.uniform() < p ? 1.0f : 0.0f;
  else
    for (float& m : means.span()) m += rng.normal();
}

double Rbm::train_epoch(const Tensor& data, const RbmConfig& config, int epoch, Rng& rng) {
  config.validate();
  AEKIT_ASSERT(data.cols() == visible(), "RBM data has ", data.cols(), " columns, the RBM ", visible(), " visible units");
  const float momentum = epoch < 5 ? 0.5f : 0.9f;
  const bool gaussian = visible_units_ == Units::Gaussian || hidden_units_ == Units::Gaussian;
  const float lr = gaussian ? config.lr / 100.0f : config.lr;
  std::vector<int64_t> order(static_cast<size_t>(data.rows()));
  std::iota(order.begin(), order.end(), int64_t{0});
  shuffle(order.begin(), order.end(), rng);
  Tensor v0, h, vk, gw, gb, gc;
  double sse = 0.0;
  for (int64_t begin = 0; begin < data.rows(); begin += config.batch_size) {
    const int64_t n = std::min(config.batch_size, data.rows() - begin);
    v0.resize({n, visible()});
    for (int64_t r = 0; r < n; ++r)
      std::memcpy(v0.row(r), data.row(order[static_cast<size_t>(begin + r)]), static_cast<size_t>(visible()) * sizeof(float));
    hidden_mean(v0.view(), h);
    sample(hidden_units_, h, rng);
    for (int step = 1; step <= config.cd_k; ++step) {
      visible_mean(h.view(), vk);
      if (step == 1)
        for (int64_t i = 0; i < vk.size(); ++i) sse += (static_cast<double>(vk[i]) - v0[i]) * (static_cast<double>(vk[i]) - v0[i]);
      if (step < config.cd_k) {
        hidden_mean(vk.view(), h);
        sample(hidden_units_, h, rng);
      }
    }
    cd_gradient(v0.view(), vk.view(), gw, gb, gc);
    for (int64_t i = 0; i < weight_.size(); ++i) {
      weight_inc_[i] = momentum * weight_inc_[i] + lr * (gw[i] - config.weight_cost * weight_[i]);
      weight_[i] += weight_inc_[i];
    }
    for (int64_t i = 0; i < visible_bias_.size(); ++i) visible_bias_[i] += (visible_inc_[i] = momentum * visible_inc_[i] + lr * gb[i]);
    for (int64_t j = 0; j < hidden_bias_.size(); ++j) hidden_bias_[j] += (hidden_inc_[j] = momentum * hidden_inc_[j] + lr * gc[j]);
  }
  return data.size() ? sse / static_cast<double>(data.size()) : 0.0;
}

}  // namespace aekit
