// TrainOptions::model_spec: how the training options become a model description. The dense
// shorthand gives the layers unless layer tokens (--arch conv16k3s2p1,relu,...) or
// --encoder-layers/--decoder-layers describe them.
#include <aekit/options/train_options.h>

#include <aekit/core/error.h>
#include <aekit/models/conv_arch.h>

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

}  // namespace

ModelSpec TrainOptions::model_spec(const Shape& sample_shape) const {
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
