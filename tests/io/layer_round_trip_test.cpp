// Every registered layer kind survives the model file: the spec and the parameters come back and
// the loaded model reconstructs exactly as the saved one. A kind missing from kExamples fails.
#include <aekit/layers/factored_ease.h>
#include <aekit/layers/layer_registry.h>
#include <aekit/recsys/ease_woodbury.h>
#include <aekit/models/trained_model.h>

#include <gtest/gtest.h>

#include <map>
#include <sstream>

namespace aekit {
namespace {

// A small model using each kind: 6 input features (the decoder by default a dense layer back to
// 6), or a 1x4x4 image for the image layers.
struct Example {
  std::string encoder;
  std::string decoder = "dense(out=6, activation=sigmoid)";
  Shape input_shape = {6};
  // For layers whose tensors come from elsewhere than training (factored_ease: a solve): fills the
  // built network's first layer with values it runs with.
  void (*fill)(Autoencoder&) = nullptr;
};

// EASE solved through 2 users' 3 interactions over the 6 items.
void fill_factored_ease(Autoencoder& net) {
  const CsrMatrix x = CsrMatrix::from_entries(2, 6, {{0, 1, 1.0f}, {0, 4, 0.5f}, {1, 4, 1.0f}});
  const auto solved = ease_solve_factored(x, 0.7);
  auto& layer = dynamic_cast<FactoredEase&>(net.layer(0));
  std::vector<Param> to = layer.buffers(), from = solved->buffers();
  for (size_t k = 0; k < to.size(); ++k) *to[k].value = *from[k].value;
  layer.check_stored();
}
const Shape kImage = {1, 4, 4};
const std::map<std::string, Example> kExamples = {
    {"dense", {"dense(out=4, activation=tanh, init=xavier_uniform)"}},
    {"dropout", {"dense(out=4, activation=relu) dropout(p=0.3)"}},
    {"l1_activity", {"dense(out=4, activation=sigmoid) l1_activity(weight=0.01)"}},
    {"kl_sparsity", {"dense(out=4, activation=sigmoid) kl_sparsity(rho=0.05, beta=3)"}},
    {"corrupt", {"corrupt(noise=salt_pepper, level=0.2) dense(out=4, activation=sigmoid)"}},
    {"contractive", {"dense(out=5, activation=tanh) dense(out=4, activation=sigmoid) contractive(weight=0.5, probes=2)"}},
    {"gaussian_sample", {"dense(out=5, activation=relu) dense(out=6) gaussian_sample(beta=0.5, warmup=2)"}},
    {"tied_dense", {"dense(out=4, activation=tanh) dense(out=3, activation=tanh)",
                    "tied_dense(tie=encoder.1, out=4, activation=tanh) tied_dense(tie=encoder.0, out=6, activation=sigmoid)"}},
    {"conv2d", {"conv2d(out=2, kernel=3, padding=1, activation=relu) flatten()", "dense(out=16)", kImage}},
    {"conv_transpose2d", {"conv2d(out=2, kernel=3, stride=2, padding=1)",
                          "conv_transpose2d(out=1, kernel=3, stride=2, padding=1, output_padding=1)", kImage}},
    {"max_pool2d", {"max_pool2d(kernel=2)", "upsample(scale=2) conv2d(out=1, kernel=3, padding=1)", kImage}},
    {"upsample", {"conv2d(out=2, kernel=2, stride=2)", "upsample(scale=2, mode=bilinear) conv2d(out=1, kernel=1)", kImage}},
    {"batch_norm2d", {"conv2d(out=2, kernel=3, padding=1) batch_norm2d()", "conv2d(out=1, kernel=3, padding=1)", kImage}},
    {"flatten", {"flatten() dense(out=4)", "dense(out=16) reshape(channels=1, height=4, width=4)", kImage}},
    {"reshape", {"dense(out=8) reshape(channels=2, height=2, width=2)", "flatten() dense(out=16)", kImage}},
    {"factored_ease", {"factored_ease(users=2, interactions=3)", "dropout(p=0)", {6}, fill_factored_ease}},
};

TEST(LayerRoundTrip, EveryKindRoundTripsThroughAModelFile) {
  for (const LayerKind& kind : layer_kinds()) {
    auto example = kExamples.find(kind.kind);
    if (example == kExamples.end()) {
      ADD_FAILURE() << "no round-trip example for layer kind " << kind.kind;
      continue;
    }
    ModelSpec spec;
    spec.input_shape = example->second.input_shape;
    spec.encoder = parse_layer_specs(example->second.encoder, "encoder");
    spec.decoder = parse_layer_specs(example->second.decoder, "decoder");
    TrainedModel model;
    model.network = std::make_unique<Autoencoder>(spec, 4);
    if (example->second.fill) example->second.fill(*model.network);
    // Every parameter away from its initial value (biases start at 0), so loading has to restore it.
    float v = 0.05f;
    for (const Param& p : model.network->params())
      for (float& w : p.value->span()) w += (v = -v * 1.01f);
    std::stringstream buffer;
    write_model(buffer, to_model_file(model));
    TrainedModel loaded = from_model_file(read_model(buffer, "memory"), "memory");
    EXPECT_EQ(loaded.network->spec(), spec) << kind.kind;
    Tensor x({3, model.network->input_size()});
    for (int64_t i = 0; i < x.size(); ++i) x[i] = 0.1f * static_cast<float>(i % 9);
    const Tensor a = model.network->reconstruct(x.view()), b = loaded.network->reconstruct(x.view());
    for (int64_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i], b[i]) << kind.kind;
  }
}

}  // namespace
}  // namespace aekit
