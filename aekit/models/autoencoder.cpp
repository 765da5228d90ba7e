#include <aekit/models/autoencoder.h>

#include <aekit/core/error.h>
#include <aekit/core/rng.h>
#include <aekit/layers/dropout.h>
#include <aekit/layers/init.h>

#include <algorithm>

namespace aekit {

Autoencoder::Autoencoder(const ModelSpec& spec, uint64_t seed) : spec_(spec) {
  spec_.validate();
  Rng rng(seed);
  const Init init = parse_init(spec_.init);
  const Activation hidden = parse_activation(spec_.activation);
  const Activation code =
      spec_.code_activation.empty() ? hidden : parse_activation(spec_.code_activation);
  const Activation output = parse_activation(spec_.output_activation);

  auto add_dense = [&](const std::string& name, int64_t in, int64_t out, Activation act) {
    auto layer = std::make_unique<Dense>(in, out, act);
    initialize_dense(init, spec_.init_sigma, layer->weight(), layer->bias(), rng);
    layers_.push_back(std::move(layer));
    layer_names_.push_back(name);
  };
  auto add_dropout = [&](int64_t features) {
    if (spec_.dropout <= 0.0f) return;
    layers_.push_back(std::make_unique<Dropout>(features, spec_.dropout, rng.next_u64()));
    layer_names_.emplace_back();
  };

  const auto& enc = spec_.encoder;
  for (size_t i = 0; i + 1 < enc.size(); ++i) {
    bool is_code = i + 2 == enc.size();
    add_dense("encoder." + std::to_string(i), enc[i], enc[i + 1], is_code ? code : hidden);
    if (!is_code) add_dropout(enc[i + 1]);
  }
  code_end_ = layers_.size();
  const auto dec = spec_.decoder_sizes();
  for (size_t i = 0; i + 1 < dec.size(); ++i) {
    bool is_output = i + 2 == dec.size();
    add_dense("decoder." + std::to_string(i), dec[i], dec[i + 1], is_output ? output : hidden);
    if (!is_output) add_dropout(dec[i + 1]);
  }
  outputs_.resize(layers_.size());
}

Dense& Autoencoder::output_layer() { return static_cast<Dense&>(*layers_.back()); }

const Tensor& Autoencoder::run(size_t first, size_t last, ConstMatrixView x, Mode mode) {
  ConstMatrixView in = x;
  for (size_t i = first; i < last; ++i) {
    layers_[i]->forward(in, outputs_[i], mode);
    in = outputs_[i].view();
  }
  return outputs_[last - 1];
}

const Tensor& Autoencoder::forward(ConstMatrixView x, Mode mode) {
  if (x.cols != input_size())
    fail("input has ", x.cols, " features but the model expects ", input_size());
  return run(0, layers_.size(), x, mode);
}

void Autoencoder::backward(ConstMatrixView output_grad) {
  ConstMatrixView dy = output_grad;
  Tensor* dx = &grad_a_;
  for (size_t i = layers_.size(); i-- > 0;) {
    // The first layer's input gradient is never needed: skip that GEMM.
    layers_[i]->backward(dy, i == 0 ? nullptr : dx);
    if (i == 0) break;
    dy = dx->view();
    dx = dx == &grad_a_ ? &grad_b_ : &grad_a_;
  }
}

Tensor Autoencoder::run_chunked(size_t first, size_t last, ConstMatrixView x) {
  constexpr int64_t kChunk = 1024;
  const int64_t out_cols = layers_[last - 1]->out_features();
  Tensor result({x.rows, out_cols});
  for (int64_t r = 0; r < x.rows; r += kChunk) {
    int64_t n = std::min(kChunk, x.rows - r);
    const Tensor& y = run(first, last, ConstMatrixView(x.row(r), n, x.cols), Mode::Infer);
    std::copy_n(y.data(), y.size(), result.row(r));
  }
  return result;
}

Tensor Autoencoder::encode(ConstMatrixView x) {
  if (x.cols != input_size())
    fail("input has ", x.cols, " features but the model expects ", input_size());
  return run_chunked(0, code_end_, x);
}

Tensor Autoencoder::decode(ConstMatrixView codes) {
  if (codes.cols != code_size())
    fail("codes have ", codes.cols, " columns but the model's code has ", code_size(), " units");
  return run_chunked(code_end_, layers_.size(), codes);
}

Tensor Autoencoder::reconstruct(ConstMatrixView x) {
  if (x.cols != input_size())
    fail("input has ", x.cols, " features but the model expects ", input_size());
  return run_chunked(0, layers_.size(), x);
}

std::vector<Param> Autoencoder::params() {
  std::vector<Param> all;
  for (size_t i = 0; i < layers_.size(); ++i)
    for (Param p : layers_[i]->params()) {
      p.name = layer_names_[i] + "." + p.name;
      all.push_back(p);
    }
  return all;
}

int64_t Autoencoder::parameter_count() {
  int64_t n = 0;
  for (const Param& p : params()) n += p.value->size();
  return n;
}

void Autoencoder::set_precision(Precision p) {
  for (Dense* d : dense_layers()) d->set_precision(p);
}

std::vector<Dense*> Autoencoder::dense_layers() {
  std::vector<Dense*> dense;
  for (auto& layer : layers_)
    if (auto* d = dynamic_cast<Dense*>(layer.get())) dense.push_back(d);
  return dense;
}

}  // namespace aekit
