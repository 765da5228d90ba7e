// TrainOptions::model_spec: how the training options become a model description. The dense
// shorthand gives the layers unless layer tokens (--arch conv16k3s2p1,relu,...) or
// --encoder-layers/--decoder-layers describe them; the family's flags then add their layers
// (corruption first, a sparsity penalty after the code).
#include <aekit/options/train_options.h>

#include <aekit/core/error.h>
#include <aekit/layers/corruption.h>
#include <aekit/models/autoencoder.h>
#include <aekit/models/conv_arch.h>

#include <charconv>
#include <cmath>

namespace aekit {

namespace {

// One sample's shape for a layer model: --input-shape (which must hold the data's values), or the
// data's own, images keeping their shape (one channel) for layers that care.
Shape layer_input_shape(const std::string& input_shape, const Shape& sample_shape) {
  if (input_shape.empty())
    return sample_shape.size() == 2 ? Shape{1, sample_shape[0], sample_shape[1]} : sample_shape;
  const Shape shape = parse_input_shape(input_shape, "--input-shape");
  int64_t given = 1, values = 1;
  for (int64_t d : shape) given *= d;
  for (int64_t d : sample_shape) values *= d;
  if (given != values)
    fail("--input-shape ", input_shape, " holds ", given, " values per sample but the data has ", values,
         sample_shape.size() == 2 ? " (" + std::to_string(sample_shape[0]) + "x" + std::to_string(sample_shape[1]) +
                                        " images)"
                                  : std::string());
  return shape;
}

std::vector<double> numbers_after(const std::string& text, size_t colon, const std::string& what) {
  std::vector<double> values;
  while (colon != std::string::npos) {
    const size_t next = text.find(':', colon + 1);
    const std::string part = text.substr(colon + 1, next == std::string::npos ? next : next - colon - 1);
    double v = 0;
    auto [ptr, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
    if (ec != std::errc() || ptr != part.data() + part.size() || part.empty())
      fail(what, " '", text, "': '", part, "' is not a number");
    values.push_back(v);
    colon = next;
  }
  return values;
}

// As the layer-spec text would hold it: an integral value as an integer ("beta=3", not 3.0).
nlohmann::json option_value(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e15) return static_cast<int64_t>(v);
  return v;
}

LayerSpec sparsity_layer(const std::string& text) {
  const size_t colon = text.find(':');
  const std::string kind = text.substr(0, colon);
  const auto values = numbers_after(text, colon, "--sparsity");
  if (kind == "kl" && values.size() == 2) return {"kl_sparsity", {{"rho", option_value(values[0])}, {"beta", option_value(values[1])}}};
  if (kind == "l1" && values.size() == 1) return {"l1_activity", {{"weight", option_value(values[0])}}};
  fail("--sparsity '", text, "': expected kl:RHO:BETA (e.g. kl:0.05:3) or l1:WEIGHT (e.g. l1:0.001)");
}

// --tied: the decoder's dense layers become tied_dense layers on the encoder's dense layers in
// mirror order (the last encoder layer ties the first decoder layer). The names ("encoder.K")
// come from the built network, so layers without parameters in between are counted right.
void tie_decoder(ModelSpec& spec) {
  const Autoencoder untied(spec, 0);
  std::vector<size_t> encoder_dense;  // layer indices
  for (size_t i = 0; i < untied.code_end(); ++i) {
    const std::string kind = untied.layer(i).kind();
    if (kind == "dense") encoder_dense.push_back(i);
    else if (!untied.layer_name(i).empty()) fail("--tied ties dense layers; the encoder has a ", kind, " layer");
  }
  size_t tied = 0;
  for (LayerSpec& layer : spec.decoder) {
    if (layer.kind != "dense") continue;
    if (tied == encoder_dense.size())
      fail("--tied: the decoder has more dense layers than the encoder (", encoder_dense.size(), ")");
    const Layer& mirror = untied.layer(encoder_dense[encoder_dense.size() - 1 - tied]);
    const int64_t out = layer.integer("out");
    if (out != mirror.in_features())
      fail("--tied: decoder dense layer ", tied + 1, " has ", out, " outputs, but its mirror ",
           untied.layer_name(encoder_dense[encoder_dense.size() - 1 - tied]), " takes ", mirror.in_features(),
           " inputs (the decoder must mirror the encoder)");
    if (layer.options.contains("init")) fail("--tied: decoder dense layer ", tied + 1, " sets init, but its weight is the encoder's");
    LayerSpec tied_layer{"tied_dense", {{"tie", untied.layer_name(encoder_dense[encoder_dense.size() - 1 - tied])},
                                        {"out", layer.options.at("out")}}};
    if (layer.options.contains("activation")) tied_layer.options["activation"] = layer.options["activation"];
    layer = std::move(tied_layer);
    ++tied;
  }
  if (tied != encoder_dense.size())
    fail("--tied: the decoder has ", tied, " dense layers but the encoder ", encoder_dense.size(),
         " (the decoder must mirror the encoder)");
}

// --variational: the last encoder layer (dense) gives 2L values, the means and log-variances (no
// activation), and a gaussian_sample layer draws the L-value code from them.
void make_variational(ModelSpec& spec, const TrainOptions& o) {
  if (o.tied) fail("--variational with --tied: the code layer gives means and log-variances, it has no mirror");
  if (o.contractive > 0 || !o.sparsity.empty())
    fail("--variational: the KL term already regularises the code; --contractive and --sparsity do not combine with it");
  // multinomial: the recommenders' Mult-VAE (recsys/recommender_kinds.h), whose likelihood is a
  // sum over the items of a user's row, so the KL is per user too.
  const bool multinomial = o.loss == "multinomial";
  if (o.loss != "bce" && o.loss != "bce_logits" && o.loss != "mse" && !multinomial)
    fail("--variational needs --loss bce or bce_logits (Bernoulli likelihood) or mse (Gaussian), got ", o.loss);
  if (spec.encoder.empty() || spec.encoder.back().kind != "dense")
    fail("--variational: the encoder must end with a dense code layer, it ends with ",
         spec.encoder.empty() ? std::string("nothing") : spec.encoder.back().kind);
  LayerSpec& code = spec.encoder.back();
  code.options["out"] = 2 * code.integer("out");
  code.options.erase("activation");
  LayerSpec sample{"gaussian_sample", nlohmann::json::object()};
  if (o.beta != 1.0) sample.options["beta"] = option_value(o.beta);
  if (o.kl_warmup != 0) sample.options["warmup"] = o.kl_warmup;
  if (o.kl_anneal_steps != 0) sample.options["anneal_steps"] = o.kl_anneal_steps;
  if (multinomial) sample.options["per_sample"] = true;
  spec.encoder.push_back(std::move(sample));
}

}  // namespace

ModelSpec TrainOptions::model_spec(const Shape& sample_shape) const {
  ModelSpec spec = described_model(sample_shape);
  if (variational)
    make_variational(spec, *this);
  else if (beta != 1.0 || kl_warmup != 0 || kl_anneal_steps != 0)
    fail("--beta, --kl-warmup and --kl-anneal-steps weigh the KL term of --variational");
  if (!(code_dropout >= 0.0f && code_dropout < 1.0f)) fail("--code-dropout must be in [0, 1), got ", code_dropout);
  // Right after the code layer (the last encoder layer so far), as DeepRec drops code units.
  if (code_dropout > 0.0f) spec.encoder.push_back({"dropout", {{"p", option_value(code_dropout)}}});
  if (contractive < 0) fail("--contractive must be >= 0, got ", contractive);
  // Right after the code layer: it penalises the Jacobian of the dense layers below it, the whole
  // encoder; a sparsity penalty follows it.
  if (contractive_probes < 0) fail("--contractive-probes must be >= 0 (0 = exact), got ", contractive_probes);
  if (contractive > 0) {
    LayerSpec layer{"contractive", {{"weight", option_value(contractive)}}};
    if (contractive_probes != 1) layer.options["probes"] = contractive_probes;
    spec.encoder.push_back(std::move(layer));
  }
  if (!sparsity.empty()) spec.encoder.push_back(sparsity_layer(sparsity));
  if (!corrupt.empty()) {
    const Corruption c = Corruption::parse(corrupt);
    spec.encoder.insert(spec.encoder.begin(),
                        LayerSpec{"corrupt", {{"noise", c.kind_name()}, {"level", option_value(c.level)}}});
  }
  spec.validate();
  if (tied) tie_decoder(spec);
  return spec;
}

ModelSpec TrainOptions::described_model(const Shape& sample_shape) const {
  if (encoder_layers.empty() != decoder_layers.empty())
    fail("--encoder-layers and --decoder-layers go together (give both, or neither and use --arch)");
  if (!arch_tokens.empty() && !encoder_layers.empty())
    fail("--arch in layer tokens and --encoder-layers both describe the encoder: give one");
  if (!decoder_tokens.empty() && arch_tokens.empty())
    fail("--decoder in layer tokens needs --arch in layer tokens too");
  if (!layer_model()) {
    if (!input_shape.empty())
      fail("--input-shape is for layer models (--arch conv16k3s2p1,... or --encoder-layers), not --arch sizes");
    return model.to_spec();
  }
  ModelSpec spec;
  spec.input_shape = layer_input_shape(input_shape, sample_shape);
  spec.init = model.init;
  spec.init_sigma = model.init_sigma;
  if (!arch_tokens.empty()) {
    if (!model.decoder.empty()) fail("--decoder: give layer tokens with an --arch in layer tokens");
    spec.encoder = parse_layer_tokens(arch_tokens, "--arch");
    spec.decoder = decoder_tokens.empty() ? mirror_decoder(spec.encoder, spec.input_shape, model.output_activation)
                                          : parse_layer_tokens(decoder_tokens, "--decoder");
  } else {
    spec.encoder = parse_layer_specs(encoder_layers, "--encoder-layers");
    spec.decoder = parse_layer_specs(decoder_layers, "--decoder-layers");
  }
  spec.validate();
  return spec;
}

}  // namespace aekit
