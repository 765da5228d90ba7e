// TrainOptions::model_spec: how the training options become a model description. The dense
// shorthand gives the layers unless --encoder-layers/--decoder-layers replace them.
#include <aekit/options/train_options.h>

#include <aekit/core/error.h>

namespace aekit {

ModelSpec TrainOptions::model_spec(const Shape& sample_shape) const {
  if (encoder_layers.empty() != decoder_layers.empty())
    fail("--encoder-layers and --decoder-layers go together (give both, or neither and use --arch)");
  if (encoder_layers.empty()) return model.to_spec();
  ModelSpec spec;
  // Images keep their shape (one channel) for layers that care; dense layers flatten it.
  spec.input_shape = sample_shape.size() == 2 ? Shape{1, sample_shape[0], sample_shape[1]} : sample_shape;
  spec.init = model.init;
  spec.init_sigma = model.init_sigma;
  spec.encoder = parse_layer_specs(encoder_layers, "--encoder-layers");
  spec.decoder = parse_layer_specs(decoder_layers, "--decoder-layers");
  spec.validate();
  return spec;
}

}  // namespace aekit
