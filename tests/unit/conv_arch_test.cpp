// The layer-token architecture syntax (models/conv_arch.h): parsing, the mirrored decoder of the
// issue's reference architecture, the network it builds (shapes and PyTorch's parameter count),
// and the one-line errors for what does not parse or fit.
#include <aekit/core/error.h>
#include <aekit/models/autoencoder.h>
#include <aekit/models/conv_arch.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace aekit {
namespace {

using ::testing::HasSubstr;

const char* kReference = "conv16k3s2p1,relu,conv32k3s2p1,relu,flatten,dense32";

std::string texts(const std::vector<LayerSpec>& specs) { return layer_specs_text(specs); }

TEST(ConvArch, ParsesTokensIntoLayerSpecs) {
  EXPECT_TRUE(is_layer_token_list(kReference));
  EXPECT_FALSE(is_layer_token_list("784-128-64"));
  const auto specs = parse_layer_tokens(kReference, "--arch");
  ASSERT_EQ(specs.size(), 4u);
  EXPECT_EQ(specs[0].kind, "conv2d");
  EXPECT_EQ(specs[0].options["out"], 16);
  EXPECT_EQ(specs[0].options["kernel"], 3);
  EXPECT_EQ(specs[0].options["stride"], 2);
  EXPECT_EQ(specs[0].options["padding"], 1);
  EXPECT_EQ(specs[0].options["activation"], "relu");
  EXPECT_EQ(specs[2].kind, "flatten");
  EXPECT_EQ(specs[3].kind, "dense");
  EXPECT_FALSE(specs[3].options.contains("activation"));
  const auto more = parse_layer_tokens("dropout0.3, convt8k4s2o1d2, maxpool2s2, up2, bilinear3, reshape1x2x3", "--x");
  EXPECT_EQ(more[0].kind, "dropout");
  EXPECT_EQ(more[1].options["output_padding"], 1);
  EXPECT_EQ(more[1].options["dilation"], 2);
  EXPECT_EQ(more[2].kind, "max_pool2d");
  EXPECT_EQ(more[4].options["mode"], "bilinear");
  EXPECT_EQ(more[5].options["width"], 3);
}

TEST(ConvArch, MirrorsTheReferenceArchitectureIntoPyTorchsDecoder) {
  const auto encoder = parse_layer_tokens(kReference, "--arch");
  const auto decoder = mirror_decoder(encoder, {1, 28, 28}, "sigmoid");
  const auto expected = parse_layer_tokens("dense1568,relu,reshape32x7x7,convt16k3s2p1o1,relu,convt1k3s2p1o1,sigmoid", "-");
  EXPECT_EQ(texts(decoder), texts(expected));
}

// Every image layer mirrored: maxpool becomes nearest upsampling to the size before it, an odd
// size gets the output_padding (per side when they differ) that restores it, bn and dropout are
// not mirrored.
TEST(ConvArch, MirrorsPoolingOddSizesAndSkipsNormalisation) {
  const auto encoder = parse_layer_tokens("dropout0.2,conv8k3p1,relu,bn,maxpool2,conv4k3s2,tanh,flatten,dense10", "--arch");
  const auto decoder = mirror_decoder(encoder, {3, 13, 10}, "sigmoid");
  ModelSpec spec;
  spec.input_shape = {3, 13, 10};
  spec.encoder = encoder;
  spec.decoder = decoder;
  Autoencoder net(spec, 1);
  // 3x13x10 -conv-> 8x13x10 -pool-> 8x6x5 -conv s2-> 4x2x2 -> 16 -> 10, and back.
  EXPECT_EQ(describe_network(net), "3x13x10-8x13x10-8x6x5-4x2x2-16-10-16-4x2x2-8x6x5-8x13x10-3x13x10 "
                                   "(conv2d, batch_norm2d, max_pool2d, flatten, reshape, conv_transpose2d, upsample)");
  EXPECT_EQ(texts(decoder), "dense(activation=tanh, out=16) reshape(channels=4, height=2, width=2) "
                            "conv_transpose2d(activation=relu, kernel=3, out=8, output_padding=1x0, stride=2) "
                            "upsample(height=13, mode=nearest, width=10) "
                            "conv_transpose2d(activation=sigmoid, kernel=3, out=3, padding=1)");
}

TEST(ConvArch, BuildsTheNetworkWithPyTorchsShapesAndParameterCount) {
  ModelSpec spec;
  spec.input_shape = {1, 28, 28};
  spec.encoder = parse_layer_tokens(kReference, "--arch");
  spec.decoder = mirror_decoder(spec.encoder, spec.input_shape, "sigmoid");
  Autoencoder net(spec, 0);
  const std::vector<Shape> shapes{{16, 14, 14}, {32, 7, 7}, {1568}, {32}, {1568}, {32, 7, 7}, {16, 14, 14}, {1, 28, 28}};
  ASSERT_EQ(net.layer_count(), shapes.size());
  for (size_t i = 0; i < shapes.size(); ++i) EXPECT_EQ(net.output_shape(i), shapes[i]) << i;
  EXPECT_EQ(net.parameter_count(), 111521);  // sum(p.numel()) of bench/torch_conv_ae.py's model
  EXPECT_EQ(net.code_size(), 32);
  const auto lines = describe_layers(net);
  ASSERT_EQ(lines.size(), shapes.size());
  EXPECT_THAT(lines[0], HasSubstr("-> 16x14x14"));
  EXPECT_THAT(lines[7], HasSubstr("conv_transpose2d"));
  EXPECT_THAT(lines[7], HasSubstr("-> 1x28x28"));
  // Images through the whole network: the output has the input's shape and values in (0, 1).
  Tensor x({3, 784});
  for (int64_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i % 17) / 17.0f;
  const Tensor& y = net.forward(x.view(), Mode::Infer);
  ASSERT_EQ(y.cols(), 784);
  for (float v : y.span()) EXPECT_TRUE(v > 0.0f && v < 1.0f);
}

template <typename F>
std::string arch_input_error(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no InputError)";
}

TEST(ConvArch, BadTokensAndShapesAreOneLineErrors) {
  EXPECT_THAT(arch_input_error([] { parse_layer_tokens("conv16k3,relu,pool2", "--arch"); }),
              HasSubstr("--arch: unknown layer 'pool2'"));
  EXPECT_THAT(arch_input_error([] { parse_layer_tokens("conv16s2", "--arch"); }), HasSubstr("needs a kernel size"));
  EXPECT_THAT(arch_input_error([] { parse_layer_tokens("flatten,relu", "--arch"); }),
              HasSubstr("activation 'relu' must follow"));
  EXPECT_THAT(arch_input_error([] { parse_layer_tokens("conv4k3o1", "--arch"); }), HasSubstr("output padding (o) is for convt"));
  // A kernel larger than the image: the conv layer names itself and the sizes.
  EXPECT_THAT(arch_input_error([] { mirror_decoder(parse_layer_tokens("conv8k5,relu,conv8k5", "--arch"), {1, 6, 6}, "sigmoid"); }),
              HasSubstr("input 8x2x2 padded to 2x2 is smaller than the dilated kernel 5x5"));
  EXPECT_THAT(arch_input_error([] { mirror_decoder(parse_layer_tokens("dense8,conv4k3", "--arch"), {784}, "sigmoid"); }),
              HasSubstr("needs images"));
  EXPECT_THAT(arch_input_error([] { parse_input_shape("1x28", "--input-shape"); }), HasSubstr("CxHxW"));
  EXPECT_THAT(arch_input_error([] { mirror_decoder(parse_layer_tokens("conv4k3,up2", "--arch"), {1, 8, 8}, "sigmoid"); }),
              HasSubstr("cannot mirror upsample layers; give the decoder with --decoder"));
}

}  // namespace
}  // namespace aekit
