#include <aekit/models/autoencoder.h>

#include <aekit/core/error.h>
#include <aekit/core/rng.h>
#include <aekit/layers/blocked_dense_link.h>
#include <aekit/layers/conv_layer.h>
#include <aekit/layers/layer_registry.h>
#include <aekit/layers/same_bytes_layer.h>

#include <algorithm>

namespace aekit {

namespace {
constexpr int64_t kMaxSampleValues = int64_t{1} << 28;  // as ModelSpec's input

// Flatten and Reshape only change how the next layer reads a sample's values: inside the network
// they are not run (their forward and backward would copy the batch; 4 copies of 0.8 MB a step in
// the reference conv model) and their neighbours read each other's buffers directly.
bool passes_bytes_through(const Layer& layer) { return dynamic_cast<const SameBytesLayer*>(&layer) != nullptr; }
}  // namespace

Autoencoder::Autoencoder(const ModelSpec& spec, uint64_t seed) : spec_(spec) {
  // Planned first: every layer's options, sizes and references to other layers (tie=) are checked
  // before any layer is built or any weight allocated.
  spec_.tensor_shapes();
  Rng rng(seed);
  Shape shape = spec_.input_shape;
  add_half(spec_.encoder, "encoder", shape, rng);
  code_end_ = layers_.size();
  add_half(spec_.decoder, "decoder", shape, rng);
  if (shape_size(shape) != input_size())
    fail("the decoder ends with ", shape_size(shape), " values per sample but the input has ", input_size());
  outputs_.resize(layers_.size());
}

void Autoencoder::add_half(const std::vector<LayerSpec>& specs, const std::string& half, Shape& shape, Rng& rng) {
  const Init init = parse_init(spec_.init);
  auto find = [this](const std::string& name) -> Layer* {
    for (size_t i = 0; i < layers_.size(); ++i)
      if (layer_names_[i] == name) return layers_[i].get();
    return nullptr;
  };
  int named = 0;
  const size_t first = layers_.size();
  for (size_t i = 0; i < specs.size(); ++i) {
    BuiltLayer built;
    try {
      std::vector<Layer*> earlier;
      for (const auto& layer : layers_) earlier.push_back(layer.get());
      built = build_layer({specs[i], shape, init, spec_.init_sigma, rng, 1.0 / static_cast<double>(input_size()), find,
                           layers_.empty() ? nullptr : layers_.back().get(), std::move(earlier)});
    } catch (const InputError& e) {
      fail(half, " layer ", i + 1, " (", specs[i].to_text(), "): ", e.what());
    }
    // Checked before any batch is allocated for it (the registry checks the weights).
    if (shape_size(built.out_shape) > kMaxSampleValues)
      fail(half, " layer ", i + 1, " (", specs[i].to_text(), ") gives ", sample_shape_text(built.out_shape),
           " values per sample, more than ", kMaxSampleValues);
    activation_values_ += shape_size(built.out_shape);
    if (activation_values_ > kMaxActivationValues)
      fail(half, " layer ", i + 1, " (", specs[i].to_text(), "): the layers' outputs so far add up to ",
           activation_values_, " values per sample, more than the budget of ", kMaxActivationValues);
    const bool stored = !built.layer->params().empty() || !built.layer->buffers().empty();
    layer_names_.push_back(stored ? half + "." + std::to_string(named++) : "");
    layers_.push_back(std::move(built.layer));
    shapes_.push_back(built.out_shape);
    shape = std::move(built.out_shape);
  }
  link_blocked_layers(first);
}

void Autoencoder::link_blocked_layers(size_t first) {
  // A contractive penalty reads the input of the dense layers below it in the features' order.
  const bool contractive = std::any_of(layers_.begin() + static_cast<std::ptrdiff_t>(first), layers_.end(),
                                       [](const auto& layer) { return layer->kind() == "contractive"; });
  for (size_t i = first; i + 1 < layers_.size(); ++i) {
    // Consecutive convolutions of this half keep the image between them in the CPU's blocked
    // layout (conv_layer.h); the half's input and output, the code among them, stay NCHW.
    if (link_blocked_images(*layers_[i], *layers_[i + 1])) continue;
    // So does the image between a convolution and a dense layer, flatten or reshape between them
    // (blocked_dense_link.h).
    size_t next = i + 1;
    while (next + 1 < layers_.size() && passes_bytes_through(*layers_[next])) ++next;
    if (!contractive) link_blocked_dense(*layers_[i], *layers_[next]);
  }
}

void Autoencoder::set_output_logits(bool on) {
  auto* dense = dynamic_cast<Dense*>(layers_.back().get());
  if (!dense) {
    if (on) fail("a loss on logits needs a dense output layer, the last layer is ", layers_.back()->kind());
    return;
  }
  dense->set_emit_logits(on);
}

bool Autoencoder::output_logits() const {
  const auto* dense = dynamic_cast<const Dense*>(layers_.back().get());
  return dense && dense->emits_logits();
}

const Tensor& Autoencoder::run(size_t first, size_t last, ConstMatrixView x, Mode mode) {
  ConstMatrixView in = x;
  for (size_t i = first; i < last; ++i) {
    if (i + 1 < last && passes_bytes_through(*layers_[i])) continue;  // the last one returns a Tensor
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
    if (i + 1 < layers_.size() && passes_bytes_through(*layers_[i])) continue;  // dy is also its dx
    // The first layer's input gradient is never needed: skip that GEMM.
    layers_[i]->backward(dy, i == 0 ? nullptr : dx);
    if (i == 0) break;
    dy = dx->view();
    dx = dx == &grad_a_ ? &grad_b_ : &grad_a_;
  }
  for (auto& layer : layers_) layer->after_backward();
}

std::vector<LossTerm> Autoencoder::loss_terms() const {
  std::vector<LossTerm> terms;
  for (const auto& layer : layers_) layer->loss_terms(terms);
  return terms;
}

double Autoencoder::penalty() const {
  double sum = 0.0;
  for (const LossTerm& t : loss_terms()) sum += t.value;
  return sum;
}

void Autoencoder::begin_epoch(int epoch) {
  for (auto& layer : layers_) layer->begin_epoch(epoch);
}

void Autoencoder::begin_step(int64_t step) {
  for (auto& layer : layers_) layer->begin_step(step);
}

Tensor Autoencoder::run_chunked(size_t first, size_t last, ConstMatrixView x) {
  // At most 1024 rows, and fewer when the activations of 1024 samples would pass the budget of
  // kMaxActivationValues (a large image model): memory stays bounded whatever the model.
  const int64_t kChunk = std::clamp<int64_t>(kMaxActivationValues / std::max<int64_t>(activation_values_, 1), 1, 1024);
  const int64_t out_cols = layers_[last - 1]->out_features();
  Tensor result;
  result.resize({x.rows, out_cols});  // every row is written below: no zero fill
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

Tensor Autoencoder::infer_layers(size_t first, size_t last, ConstMatrixView x) {
  AEKIT_ASSERT(first < last && last <= layers_.size(), "infer_layers: bad range ", first, " to ", last);
  if (x.cols != layers_[first]->in_features())
    fail("input has ", x.cols, " values per row but layer ", first + 1, " takes ", layers_[first]->in_features());
  return run_chunked(first, last, x);
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

std::vector<Param> Autoencoder::buffers() {
  std::vector<Param> all;
  for (size_t i = 0; i < layers_.size(); ++i)
    for (Param p : layers_[i]->buffers()) {
      p.name = layer_names_[i] + "." + p.name;
      all.push_back(p);
    }
  return all;
}

std::vector<Rng*> Autoencoder::generators() {
  std::vector<Rng*> all;
  for (const auto& layer : layers_)
    for (Rng* g : layer->generators()) all.push_back(g);
  return all;
}

int64_t Autoencoder::parameter_count() {
  int64_t n = 0;
  for (const Param& p : params()) n += p.value->size();
  return n;
}

double Autoencoder::multiply_adds_per_sample() {
  double total = 0.0;
  for (size_t i = 0; i < layers_.size(); ++i) {
    const Shape& shape = shapes_[i];
    const double positions = shape.size() == 3 ? static_cast<double>(shape[1]) * static_cast<double>(shape[2]) : 1.0;
    for (const Param& p : layers_[i]->params()) total += static_cast<double>(p.value->size()) * positions;
  }
  return total;
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

std::string sample_shape_text(const Shape& shape) {
  std::string s;
  for (int64_t d : shape) s += (s.empty() ? "" : "x") + std::to_string(d);
  return s;
}

std::string describe_network(const Autoencoder& net) {
  std::string sizes = sample_shape_text(net.spec().input_shape), others;
  const Shape* before = &net.spec().input_shape;
  for (size_t i = 0; i < net.layer_count(); ++i) {
    const Layer& layer = net.layer(i);
    if (net.output_shape(i) != *before || layer.kind() == "dense") {
      sizes += '-';
      sizes += sample_shape_text(net.output_shape(i));
    }
    before = &net.output_shape(i);
    if (layer.kind() != "dense" && layer.kind() != "dropout" && others.find(layer.kind()) == std::string::npos) {
      if (!others.empty()) others += ", ";
      others += layer.kind();
    }
  }
  return others.empty() ? sizes : sizes + " (" + others + ")";
}

std::vector<std::string> describe_layers(const Autoencoder& net) {
  std::vector<std::string> lines;
  const ModelSpec& spec = net.spec();
  for (size_t i = 0; i < net.layer_count(); ++i) {
    const bool encoder = i < spec.encoder.size();
    const LayerSpec& layer = encoder ? spec.encoder[i] : spec.decoder[i - spec.encoder.size()];
    lines.push_back(std::string(encoder ? "encoder " : "decoder ") + layer.to_text() + " -> " +
                    sample_shape_text(net.output_shape(i)));
  }
  return lines;
}

}  // namespace aekit
