#include <aekit/layers/dense_chain_jacobian.h>

#include <aekit/backend/cpu/gemm.h>
#include <aekit/backend/cpu/matmul.h>
#include <aekit/core/error.h>
#include <aekit/layers/dense.h>

#include <algorithm>

namespace aekit {

bool has_activation_slope(Activation act) {
  return act == Activation::Identity || act == Activation::Sigmoid || act == Activation::Tanh ||
         act == Activation::Relu;
}

ActivationSlope activation_slope(Activation act, double h) {
  switch (act) {
    case Activation::Identity:
      return {1.0, 0.0};
    case Activation::Sigmoid:
      return {h * (1.0 - h), 1.0 - 2.0 * h};
    case Activation::Tanh:
      return {1.0 - h * h, -2.0 * h};
    case Activation::Relu:
      return {h > 0.0 ? 1.0 : 0.0, 0.0};
    default:
      AEKIT_ASSERT(false, "no activation slope for this activation");
      return {0.0, 0.0};
  }
}

namespace {

Tensor* grad_of(Dense& dense, const char* name) {
  for (const Param& p : dense.params())
    if (p.name == name) return p.grad;
  AEKIT_ASSERT(false, "dense layer without a ", name, " gradient");
  return nullptr;
}

}  // namespace

DenseChainJacobian::DenseChainJacobian(std::vector<Dense*> chain) : chain_(std::move(chain)) {
  AEKIT_ASSERT(!chain_.empty(), "a dense chain needs a layer");
  for (size_t k = 0; k < chain_.size(); ++k) {
    AEKIT_ASSERT(has_activation_slope(chain_[k]->activation()), "dense chain: layer without an activation slope");
    if (k > 0)
      AEKIT_ASSERT(chain_[k]->in_features() == chain_[k - 1]->out_features(), "dense chain: sizes do not follow");
  }
}

int64_t DenseChainJacobian::in_features() const { return chain_.front()->in_features(); }

double DenseChainJacobian::probe(const std::vector<ConstMatrixView>& activations, ConstMatrixView probes) {
  const size_t depth = chain_.size();
  AEKIT_ASSERT(activations.size() == depth + 1, "dense chain: ", depth + 1, " activations expected");
  AEKIT_ASSERT(probes.rows == in_features() && probes.cols > 0, "dense chain: probes must be in_features x P");
  acts_ = activations;
  probes_ = probes;
  const int64_t n = activations[0].rows, p_count = probes.cols;
  probe_count_ = p_count;
  z_.resize(depth);
  t_.resize(depth);
  for (size_t k = 0; k < depth; ++k) {
    const Dense& layer = *chain_[k];
    const int64_t in = layer.in_features(), out = layer.out_features();
    const Activation act = layer.activation();
    const ConstMatrixView a = activations[k + 1];
    AEKIT_ASSERT(a.rows == n && a.cols == out, "dense chain: activation ", k + 1, " has the wrong shape");
    Tensor& z = z_[k];
    if (k == 0) {
      // z_0 (P x out) = V^T W^T: the same for every row.
      z.resize({p_count, out});
      cpu::gemm(true, true, p_count, out, in, 1.0f, probes.data, p_count, layer.weight().data(), in, 0.0f, z.data(), out);
    } else {
      // z_k (nP x out) = t_{k-1} W^T
      z.resize({n * p_count, out});
      cpu::gemm(false, true, n * p_count, out, in, 1.0f, t_[k - 1].data(), in, layer.weight().data(), in, 0.0f,
                z.data(), out);
    }
    Tensor& t = t_[k];
    t.resize({n * p_count, out});
    for (int64_t r = 0; r < n; ++r)
      for (int64_t p = 0; p < p_count; ++p) {
        const float* zr = k == 0 ? z.row(p) : z.row(r * p_count + p);
        float* tr = t.row(r * p_count + p);
        for (int64_t j = 0; j < out; ++j)
          tr[j] = static_cast<float>(activation_slope(act, a.row(r)[j]).g * zr[j]);
      }
  }
  double sum = 0.0;
  for (float v : t_.back().span()) sum += static_cast<double>(v) * v;
  return sum;
}

void DenseChainJacobian::add_gradient(double scale) {
  const size_t depth = chain_.size();
  AEKIT_ASSERT(t_.size() == depth, "dense chain: add_gradient before probe");
  const int64_t n = acts_[0].rows, p_count = probe_count_;
  // Backwards through the tangent recursion: dt is d(sum)/d t_k, scaled.
  Tensor dt = t_.back();
  for (float& v : dt.span()) v *= static_cast<float>(2.0 * scale);
  std::vector<Tensor> da_direct(depth);  // d/d a_{k+1} through g_k, per row
  Tensor dz;
  for (size_t k = depth; k-- > 0;) {
    Dense& layer = *chain_[k];
    const int64_t in = layer.in_features(), out = layer.out_features();
    const Activation act = layer.activation();
    const ConstMatrixView a = acts_[k + 1];
    dz.resize({n * p_count, out});
    Tensor& direct = da_direct[k];
    direct.resize({n, out});
    direct.fill(0.0f);
    for (int64_t r = 0; r < n; ++r) {
      float* dr = direct.row(r);
      for (int64_t p = 0; p < p_count; ++p) {
        const float* zr = k == 0 ? z_[0].row(p) : z_[k].row(r * p_count + p);
        const float* dtr = dt.row(r * p_count + p);
        float* dzr = dz.row(r * p_count + p);
        for (int64_t j = 0; j < out; ++j) {
          const ActivationSlope s = activation_slope(act, a.row(r)[j]);
          dzr[j] = static_cast<float>(s.g * dtr[j]);
          dr[j] += static_cast<float>(zr[j] * dtr[j] * s.dg_dh);
        }
      }
    }
    Tensor& weight_grad = *grad_of(layer, "weight");
    if (k > 0) {
      // dW += dz^T t_{k-1};  dt_{k-1} = dz W
      cpu::gemm(true, false, out, in, n * p_count, 1.0f, dz.data(), out, t_[k - 1].data(), in, 1.0f,
                weight_grad.data(), in);
      dt.resize({n * p_count, in});
      cpu::gemm(false, false, n * p_count, in, out, 1.0f, dz.data(), out, layer.weight().data(), in, 0.0f, dt.data(),
                in);
    } else {
      // z_0 = W V is shared by the rows: dW += (sum over rows of dz)^T V^T
      Tensor summed({p_count, out});
      for (int64_t r = 0; r < n; ++r)
        for (int64_t p = 0; p < p_count; ++p) {
          const float* dzr = dz.row(r * p_count + p);
          float* sr = summed.row(p);
          for (int64_t j = 0; j < out; ++j) sr[j] += dzr[j];
        }
      cpu::gemm(true, true, out, in, p_count, 1.0f, summed.data(), out, probes_.data, p_count, 1.0f,
                weight_grad.data(), in);
    }
  }
  // The ordinary backward pass of the chain for what reached the activations a_k through g_k.
  Tensor da = da_direct[depth - 1], dpre, below;
  for (size_t k = depth; k-- > 0;) {
    Dense& layer = *chain_[k];
    const int64_t in = layer.in_features(), out = layer.out_features();
    const Activation act = layer.activation();
    const ConstMatrixView a = acts_[k + 1];
    dpre.resize({n, out});
    Tensor& bias_grad = *grad_of(layer, "bias");
    for (int64_t r = 0; r < n; ++r)
      for (int64_t j = 0; j < out; ++j) {
        const float v = static_cast<float>(activation_slope(act, a.row(r)[j]).g * da.row(r)[j]);
        dpre.row(r)[j] = v;
        bias_grad[j] += v;
      }
    cpu::gemm(true, false, out, in, n, 1.0f, dpre.data(), out, acts_[k].data, in, 1.0f,
              grad_of(layer, "weight")->data(), in);
    if (k == 0) break;
    below.resize({n, in});
    cpu::gemm(false, false, n, in, out, 1.0f, dpre.data(), out, layer.weight().data(), in, 0.0f, below.data(), in);
    const Tensor& add = da_direct[k - 1];
    for (int64_t i = 0; i < below.size(); ++i) below[i] += add[i];
    std::swap(da, below);
  }
}

std::vector<ConstMatrixView> DenseChainJacobian::run(ConstMatrixView x, std::vector<Tensor>& storage) const {
  storage.resize(chain_.size());
  std::vector<ConstMatrixView> acts{x};
  for (size_t k = 0; k < chain_.size(); ++k) {
    const Dense& layer = *chain_[k];
    storage[k].resize({x.rows, layer.out_features()});
    cpu::linear_forward(acts.back(), layer.weight().data(), layer.bias().data(), storage[k].view(), layer.activation());
    acts.push_back(storage[k].view());
  }
  return acts;
}

std::vector<double> DenseChainJacobian::exact_norms(ConstMatrixView x) const {
  const int64_t in = in_features();
  AEKIT_ASSERT(x.cols == in, "dense chain: input has ", x.cols, " columns, the chain takes ", in);
  Tensor basis({in, in});
  for (int64_t i = 0; i < in; ++i) basis.row(i)[i] = 1.0f;
  int64_t widest = 1;
  for (const Dense* layer : chain_) widest = std::max(widest, layer->out_features());
  // A few rows at a time: the tangents hold rows x in x width values (about 4M floats at most).
  const int64_t chunk = std::max<int64_t>(1, (int64_t{1} << 22) / (in * widest));
  DenseChainJacobian measurer(chain_);  // the training probe's caches stay as they are
  std::vector<Tensor> storage;
  std::vector<double> norms;
  norms.reserve(static_cast<size_t>(x.rows));
  for (int64_t begin = 0; begin < x.rows; begin += chunk) {
    const int64_t rows = std::min(chunk, x.rows - begin);
    measurer.probe(run(ConstMatrixView(x.row(begin), rows, x.cols), storage), basis.view());
    const Tensor& top = measurer.t_.back();
    const int64_t per_row = in * top.cols();
    for (int64_t r = 0; r < rows; ++r) {
      double s = 0.0;
      for (int64_t i = r * per_row; i < (r + 1) * per_row; ++i) s += static_cast<double>(top[i]) * top[i];
      norms.push_back(s);
    }
  }
  return norms;
}

}  // namespace aekit
