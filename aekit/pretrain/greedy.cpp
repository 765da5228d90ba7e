#include <aekit/pretrain/greedy.h>

#include <aekit/core/error.h>
#include <aekit/layers/activation.h>
#include <aekit/layers/dense.h>
#include <aekit/losses/loss.h>
#include <aekit/train/trainer.h>

#include <algorithm>
#include <cstdio>

namespace aekit {

namespace {

bool layer_has_no_state(Layer& layer) { return layer.params().empty() && layer.buffers().empty(); }

// The encoder's dense layers (indices into the network) paired with their mirror decoder layers.
struct LayerPair {
  size_t encoder, decoder;
};

std::vector<LayerPair> mirrored_dense_layers(Autoencoder& net) {
  std::vector<size_t> enc, dec;
  for (size_t i = 0; i < net.layer_count(); ++i) {
    Layer& layer = net.layer(i);
    if (layer.kind() == "dense")
      (i < net.code_end() ? enc : dec).push_back(i);
    else if (!layer_has_no_state(layer))
      fail("--pretrain trains dense layers; the network has a ", layer.kind(), " layer");
  }
  if (enc.empty()) fail("--pretrain: the encoder has no dense layer");
  if (enc.size() != dec.size())
    fail("--pretrain needs a decoder that mirrors the encoder: ", enc.size(), " dense layers in the encoder, ",
         dec.size(), " in the decoder");
  std::vector<LayerPair> pairs;
  for (size_t k = 0; k < enc.size(); ++k) {
    const Layer& e = net.layer(enc[k]);
    const Layer& d = net.layer(dec[dec.size() - 1 - k]);
    if (d.in_features() != e.out_features() || d.out_features() != e.in_features())
      fail("--pretrain needs a decoder that mirrors the encoder: encoder dense layer ", k + 1, " maps ", e.in_features(),
           " to ", e.out_features(), " but its mirror maps ", d.in_features(), " to ", d.out_features());
    pairs.push_back({enc[k], dec[dec.size() - 1 - k]});
  }
  return pairs;
}

Units units_of(const Dense& layer, const char* side, size_t k) {
  if (layer.activation() == Activation::Sigmoid) return Units::Bernoulli;
  if (layer.activation() == Activation::Identity) return Units::Gaussian;
  fail("--pretrain rbm: dense layer ", k + 1, "'s ", side, " units are ", activation_name(layer.activation()),
       "; an RBM has sigmoid (Bernoulli) or identity (Gaussian) units (use --pretrain ae or dae)");
}

// Layer k as an RBM on `input`; writes the unrolled weights.
PretrainedLayer pretrain_rbm(Dense& enc, Dense& dec, const Tensor& input, const PretrainConfig& config, size_t k) {
  Rng rng(config.rbm.seed + 1000003 * (k + 1));
  const Units visible = units_of(dec, "visible", k), hidden = units_of(enc, "hidden", k);
  Rbm rbm(enc.in_features(), enc.out_features(), visible, hidden, rng);
  PretrainedLayer report{enc.in_features(), enc.out_features(), std::string(units_name(visible)) + "-" + units_name(hidden)};
  for (int epoch = 0; epoch < config.rbm.epochs; ++epoch) {
    const double error = rbm.train_epoch(input, config.rbm, epoch, rng);
    if (epoch == 0) report.first_error = error;
    report.last_error = error;
  }
  enc.weight() = rbm.weight();
  enc.bias() = rbm.hidden_bias();
  const Tensor& w = rbm.weight();
  for (int64_t i = 0; i < w.dim(1); ++i)
    for (int64_t j = 0; j < w.dim(0); ++j) dec.weight().row(i)[j] = w.row(j)[i];
  dec.bias() = rbm.visible_bias();
  return report;
}

// Layer k as a shallow (denoising) autoencoder on `input`; writes its two layers' weights.
PretrainedLayer pretrain_autoencoder(Dense& enc, Dense& dec, const Tensor& input, const PretrainConfig& config, size_t k) {
  ModelSpec spec;
  spec.input_shape = {enc.in_features()};
  if (config.method == PretrainMethod::Dae)
    spec.encoder.push_back({"corrupt", {{"noise", config.corruption.kind_name()}, {"level", config.corruption.level}}});
  spec.encoder.push_back({"dense", {{"out", enc.out_features()}, {"activation", activation_name(enc.activation())}}});
  spec.decoder.push_back({"dense", {{"out", enc.in_features()}, {"activation", activation_name(dec.activation())}}});
  Autoencoder shallow(spec, config.rbm.seed + 1000003 * (k + 1));
  TrainConfig train_config;
  train_config.epochs = config.rbm.epochs;
  train_config.batch_size = config.rbm.batch_size;
  train_config.seed = config.rbm.seed + k;
  train_config.optimizer = config.optimizer;
  const TrainResult result = train(shallow, input, *make_loss("mse"), train_config);
  const std::vector<Dense*> dense = shallow.dense_layers();
  enc.weight() = dense[0]->weight();
  enc.bias() = dense[0]->bias();
  dec.weight() = dense[1]->weight();
  dec.bias() = dense[1]->bias();
  return {enc.in_features(), enc.out_features(),
          activation_name(enc.activation()) + "/" + activation_name(dec.activation()),
          result.history.front().train_loss, result.history.back().train_loss};
}

}  // namespace

PretrainMethod parse_pretrain_method(const std::string& name) {
  if (name == "none" || name.empty()) return PretrainMethod::None;
  if (name == "rbm") return PretrainMethod::Rbm;
  if (name == "ae") return PretrainMethod::Ae;
  if (name == "dae") return PretrainMethod::Dae;
  fail("unknown pretraining '", name, "' (valid: none, rbm, ae, dae)");
}

std::vector<PretrainedLayer> pretrain_greedy(Autoencoder& net, const Tensor& x, const PretrainConfig& config,
                                             const std::function<void(const std::string&)>& log) {
  if (config.method == PretrainMethod::None) return {};
  config.rbm.validate();
  const std::vector<LayerPair> pairs = mirrored_dense_layers(net);
  for (size_t k = 0; k < pairs.size() && config.method == PretrainMethod::Rbm; ++k) {  // before any work
    units_of(dynamic_cast<Dense&>(net.layer(pairs[k].encoder)), "hidden", k);
    units_of(dynamic_cast<Dense&>(net.layer(pairs[k].decoder)), "visible", k);
  }
  std::vector<PretrainedLayer> reports;
  Tensor codes;  // the input of layer k: x for the first, then the codes of the layers below
  size_t next = 0;
  for (size_t k = 0; k < pairs.size(); ++k) {
    const Tensor& input = k == 0 ? x : codes;
    auto& enc = dynamic_cast<Dense&>(net.layer(pairs[k].encoder));
    auto& dec = dynamic_cast<Dense&>(net.layer(pairs[k].decoder));
    // Layers without state between the last pretrained one and this one (dropout: the identity at
    // inference) are run too, so this layer sees what it sees in the network.
    Tensor before = pairs[k].encoder > next ? net.infer_layers(next, pairs[k].encoder, input.view()) : Tensor();
    const Tensor& layer_input = pairs[k].encoder > next ? before : input;
    PretrainedLayer r = config.method == PretrainMethod::Rbm ? pretrain_rbm(enc, dec, layer_input, config, k)
                                                             : pretrain_autoencoder(enc, dec, layer_input, config, k);
    if (log) {
      char line[256];
      std::snprintf(line, sizeof line, "pretrained layer %zu (%lld-%lld, %s): reconstruction error %.6g -> %.6g", k + 1,
                    static_cast<long long>(r.visible), static_cast<long long>(r.hidden), r.units.c_str(), r.first_error,
                    r.last_error);
      log(line);
    }
    reports.push_back(std::move(r));
    if (k + 1 < pairs.size()) codes = net.infer_layers(pairs[k].encoder, pairs[k].encoder + 1, layer_input.view());
    next = pairs[k].encoder + 1;
  }
  return reports;
}

}  // namespace aekit
