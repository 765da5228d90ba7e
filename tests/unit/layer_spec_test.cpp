// Layer specs: the text and JSON spellings, typed options with clear errors, and the registry.
#include <aekit/core/error.h>
#include <aekit/layers/layer_registry.h>
#include <aekit/models/autoencoder.h>

#include <gtest/gtest.h>

namespace aekit {
namespace {

TEST(LayerSpec, ParsesTextIntoKindsAndTypedOptions) {
  const auto specs = parse_layer_specs("dense(out=128, activation=relu) ; dropout(p=0.25)  dense(out=2)", "--x");
  ASSERT_EQ(specs.size(), 3u);
  EXPECT_EQ(specs[0].kind, "dense");
  EXPECT_EQ(specs[0].integer("out"), 128);
  EXPECT_EQ(specs[0].text("activation", ""), "relu");
  EXPECT_DOUBLE_EQ(specs[1].number("p"), 0.25);
  EXPECT_EQ(specs[2].text("activation", "identity"), "identity");
  EXPECT_EQ(parse_layer_specs(layer_specs_text(specs), "--x"), specs);
  EXPECT_EQ(LayerSpec::from_json(specs[0].to_json()), specs[0]);
}

TEST(LayerSpec, RejectsMalformedText) {
  for (const char* bad : {"", "dense", "dense(out=3", "dense(out)", "dense(out=)", "(out=3)", "dense(out=1, out=2)",
                          "de nse(out=3)", "corrupt(kind=masking, level=0.3)"})
    EXPECT_THROW(parse_layer_specs(bad, "--encoder-layers"), InputError) << bad;
}

TEST(LayerSpec, OptionErrorsNameTheLayerAndOption) {
  const LayerSpec spec = parse_layer_specs("dense(out=x, activaton=relu)", "--x")[0];
  try {
    spec.integer("out");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("'out' must be an integer"), std::string::npos) << e.what();
  }
  EXPECT_THROW(spec.check_options({"out", "activation"}), InputError);
  EXPECT_THROW(spec.integer("missing"), InputError);
}

TEST(LayerRegistry, UnknownKindsAndBadOptionsAreInputErrors) {
  ModelSpec spec;
  spec.input_shape = {6};
  spec.encoder = parse_layer_specs("dense(out=3)", "e");
  spec.decoder = parse_layer_specs("dense(out=6, activation=sigmoid)", "d");
  EXPECT_NO_THROW(Autoencoder(spec, 0));
  for (const char* bad : {"conv9(out=3)", "dense(out=0)", "dense(out=3, activation=nope)", "dense(out=3, size=4)",
                          "dropout(p=1.5) dense(out=3)"}) {
    spec.encoder = parse_layer_specs(bad, "e");
    EXPECT_THROW(Autoencoder(spec, 0), InputError) << bad;
  }
  spec.encoder = parse_layer_specs("dense(out=3)", "e");
  spec.decoder = parse_layer_specs("dense(out=5)", "d");  // does not end at the input size
  EXPECT_THROW(Autoencoder(spec, 0), InputError);
}

// The shorthand and the equivalent layer list build the same network from the same seed.
TEST(LayerRegistry, LayerListMatchesTheDenseShorthand) {
  ModelSpec spec;
  spec.input_shape = {6};
  spec.encoder = parse_layer_specs("dense(out=4, activation=tanh) dropout(p=0.1) dense(out=2, activation=tanh)", "e");
  spec.decoder = parse_layer_specs("dense(out=4, activation=tanh) dropout(p=0.1) dense(out=6, activation=sigmoid)", "d");
  Autoencoder a(spec, 5);
  EXPECT_EQ(describe_network(a), "6-4-2-4-6");
  EXPECT_EQ(a.code_size(), 2);
  EXPECT_EQ(a.params().size(), 8u);
  EXPECT_EQ(a.params()[2].name, "encoder.1.weight");
}

}  // namespace
}  // namespace aekit
