// A layer that uses another by name (tied_dense's tie=) is checked against it when the model is
// planned, before anything is built: the named layer must exist earlier in the network, be dense,
// and map the sizes the tied layer needs. Model files are planned before they are loaded, and the
// Autoencoder plans its spec before building it, so each case is one InputError naming the layer.
#include <aekit/core/error.h>
#include <aekit/layers/layer_reference.h>
#include <aekit/models/autoencoder.h>
#include <aekit/models/model_spec.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace aekit {
namespace {

ModelSpec spec_of(const std::string& encoder, const std::string& decoder, Shape input = {6}) {
  ModelSpec spec;
  spec.input_shape = std::move(input);
  spec.encoder = parse_layer_specs(encoder, "encoder");
  spec.decoder = parse_layer_specs(decoder, "decoder");
  return spec;
}

std::string planning_error(const ModelSpec& spec) {
  try {
    spec.tensor_shapes();
  } catch (const InputError& e) {
    EXPECT_THROW(Autoencoder(spec, 0), InputError);  // building refuses it the same way
    return e.what();
  }
  return "";
}

TEST(LayerReference, ATiedLayerMustNameAnEarlierDenseLayerOfTheRightSizes) {
  using ::testing::HasSubstr;
  // The good case plans and builds.
  const ModelSpec good = spec_of("dense(out=4, activation=tanh)", "tied_dense(tie=encoder.0, out=6, activation=sigmoid)");
  EXPECT_NO_THROW(good.tensor_shapes());
  EXPECT_NO_THROW(Autoencoder(good, 0));
  // A name no layer has (there is one encoder layer with parameters: encoder.0).
  EXPECT_THAT(planning_error(spec_of("dense(out=4)", "tied_dense(tie=encoder.1, out=6)")),
              HasSubstr("decoder layer 1 (tied_dense(out=6, tie=encoder.1)): tie=encoder.1 names no layer before this one"));
  // A layer that comes later is not there yet.
  EXPECT_THAT(planning_error(spec_of("dense(out=4)", "tied_dense(tie=decoder.1, out=4) dense(out=6)")),
              HasSubstr("tie=decoder.1 names no layer before this one"));
  // A layer of another kind.
  EXPECT_THAT(planning_error(spec_of("conv2d(out=2, kernel=3, padding=1) flatten()", "tied_dense(tie=encoder.0, out=16)",
                                     {1, 4, 4})),
              HasSubstr("tie=encoder.0 is a conv2d layer; it must be a dense layer"));
  // A dense layer of other sizes: encoder.0 maps 6 -> 4, its transpose 4 -> 6, but this layer takes 3.
  EXPECT_THAT(planning_error(spec_of("dense(out=4) dense(out=3)", "tied_dense(tie=encoder.0, out=6)")),
              HasSubstr("tie=encoder.0 maps 6 -> 4 values, but this layer needs one that maps 6 -> 3"));
}

TEST(LayerReference, KindsWithoutReferencesHaveNone) {
  EXPECT_TRUE(layer_references(parse_layer_specs("dense(out=3)", "x")[0], {4}).empty());
  const auto refs = layer_references(parse_layer_specs("tied_dense(tie=encoder.2, out=5)", "x")[0], {7});
  ASSERT_EQ(refs.size(), 1u);
  EXPECT_EQ(refs[0].name, "encoder.2");
  EXPECT_EQ(refs[0].kind, "dense");
  EXPECT_EQ(refs[0].in, 5);
  EXPECT_EQ(refs[0].out, 7);
}

}  // namespace
}  // namespace aekit
