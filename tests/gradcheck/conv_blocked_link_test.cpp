// Consecutive convolutions that pass the image between them in oneDNN's channel-blocked layout
// (link_blocked_images, layers/conv_layer.h) must compute what the same layers compute on NCHW:
// outputs, input gradients and every parameter gradient, for each pairing of conv2d and
// conv_transpose2d, with fused and unfused activations and an odd last batch. The NCHW path is
// the one the finite-difference checks and the PyTorch fixtures prove.
#include "conv3x3.h"
#include "gradcheck.h"

#include <aekit/backend/cpu/convolution.h>
#include <aekit/layers/conv2d.h>
#include <aekit/layers/conv_transpose2d.h>
#include <aekit/models/autoencoder.h>

#include <memory>

namespace aekit::test {
namespace {

// A transposed convolution to 3 channels with a 5x3 kernel, stride 3x2, padding 2x1, output
// padding 2x1, dilation 1x2 and sigmoid.
ConvParams narrow_rect(int64_t in) {
  ConvParams p;
  p.in_channels = in, p.out_channels = 3, p.kernel = {5, 3}, p.stride = {3, 2}, p.padding = {2, 1};
  p.output_padding = {2, 1}, p.dilation = {1, 2}, p.activation = Activation::Sigmoid;
  return p;
}

ConvParams one_by_one(int64_t in) {
  ConvParams p;
  p.in_channels = in, p.out_channels = 1, p.kernel = 1, p.bias = false;
  return p;
}

std::unique_ptr<ConvLayer> make(bool transpose, const ImageShape& in, const ConvParams& p) {
  if (transpose) return std::make_unique<ConvTranspose2d>(in, p);
  return std::make_unique<Conv2d>(in, p);
}

struct Pair {
  std::unique_ptr<ConvLayer> first, second;
};

// Two layers, the second on the first's output, with weights drawn from `seed`.
Pair make_pair(bool first_transpose, const ImageShape& in, const ConvParams& p1, bool second_transpose,
               const ConvParams& p2, uint64_t seed) {
  Pair pair;
  pair.first = make(first_transpose, in, p1);
  pair.second = make(second_transpose, pair.first->output_shape(), p2);
  Rng rng(seed);
  pair.first->reset_parameters(rng);
  pair.second->reset_parameters(rng);
  return pair;
}

void expect_near_tensors(const std::string& what, const Tensor& a, const Tensor& b) {
  ASSERT_EQ(a.shape(), b.shape()) << what;
  int bad = 0;
  for (int64_t i = 0; i < a.size(); ++i)
    if (std::abs(a[i] - b[i]) > 1e-5f + 1e-4f * std::abs(b[i]) && bad++ < 5)
      ADD_FAILURE() << what << "[" << i << "]: blocked " << a[i] << " vs plain " << b[i];
  EXPECT_EQ(bad, 0) << what;
}

// Runs forward and backward through both pairs and compares everything the caller sees.
void expect_same_link(const std::string& name, Pair& plain, Pair& blocked, int64_t rows) {
  Rng rng(11);
  const Tensor x = random_tensor({rows, plain.first->in_features()}, rng);
  const Tensor r = random_tensor({rows, plain.second->out_features()}, rng);
  Tensor h[2], y[2], dh[2], dx[2];
  Pair* pairs[2] = {&plain, &blocked};
  for (int k = 0; k < 2; ++k) {
    pairs[k]->first->forward(x.view(), h[k], Mode::Train);
    pairs[k]->second->forward(h[k].view(), y[k], Mode::Train);
    pairs[k]->second->backward(r.view(), &dh[k]);
    pairs[k]->first->backward(dh[k].view(), &dx[k]);
  }
  expect_near_tensors(name + " output", y[1], y[0]);
  expect_near_tensors(name + " dx", dx[1], dx[0]);
  for (auto member : {&Pair::first, &Pair::second}) {
    auto p0 = (plain.*member)->params(), p1 = (blocked.*member)->params();
    ASSERT_EQ(p0.size(), p1.size());
    for (size_t i = 0; i < p0.size(); ++i) expect_near_tensors(name + " d" + p0[i].name, *p1[i].grad, *p0[i].grad);
  }
}

struct LinkCase {
  std::string name;
  bool first_transpose;
  ImageShape input;
  ConvParams first;
  bool second_transpose;
  ConvParams second;
};

TEST(ConvBlockedLink, LinkedPairsComputeWhatPlainPairsCompute) {
  ASSERT_GT(cpu::image_channel_block(), 0) << "aekit's CPU backend needs at least AVX2";
  const int64_t c = 2 * cpu::image_channel_block();  // two channel blocks
  const LinkCase cases[] = {
      // The reference model's encoder and decoder pairs.
      {"conv-conv", false, {1, 14, 13}, conv3x3(1, c, 2, 0, Activation::Relu), false, conv3x3(c, 32, 2, 0, Activation::Relu)},
      {"convt-convt", true, {32, 4, 5}, conv3x3(32, c, 2, 1, Activation::Relu), true, conv3x3(c, 1, 2, 1, Activation::Sigmoid)},
      // Mixed, with no activation and one that oneDNN does not fuse (softplus).
      {"conv-convt", false, {3, 9, 9}, conv3x3(3, c, 1, 0, Activation::Identity), true, conv3x3(c, 2, 2, 1, Activation::Tanh)},
      {"convt-conv", true, {5, 6, 6}, conv3x3(5, c, 2, 1, Activation::Softplus), false, conv3x3(c, 3, 1, 0, Activation::Elu)},
      // Transposed convolutions with few output channels take aekit's own kernel on a blocked
      // input (backend/cpu/narrow_deconvolution.h) and oneDNN's on NCHW: rectangular, strided,
      // dilated and padded, with 45 taps (three groups of 16); a 1x1 one without bias.
      {"conv-convt narrow", false, {3, 5, 7}, conv3x3(3, c, 1, 0, Activation::Relu), true, narrow_rect(c)},
      {"conv-convt 1x1", false, {2, 4, 3}, conv3x3(2, c, 1, 0, Activation::Identity), true, one_by_one(c)},
  };
  for (const LinkCase& lc : cases) {
    Pair plain = make_pair(lc.first_transpose, lc.input, lc.first, lc.second_transpose, lc.second, 5);
    Pair blocked = make_pair(lc.first_transpose, lc.input, lc.first, lc.second_transpose, lc.second, 5);
    ASSERT_TRUE(link_blocked_images(*blocked.first, *blocked.second)) << lc.name;
    EXPECT_EQ(blocked.first->output_layout(), cpu::ImageLayout::Blocked);
    EXPECT_EQ(blocked.second->input_layout(), cpu::ImageLayout::Blocked);
    EXPECT_EQ(blocked.first->input_layout(), cpu::ImageLayout::Plain);
    EXPECT_EQ(blocked.second->output_layout(), cpu::ImageLayout::Plain);
    for (int64_t rows : {4, 3}) expect_same_link(lc.name + " batch " + std::to_string(rows), plain, blocked, rows);
  }
}

TEST(ConvBlockedLink, ChannelsThatDoNotFillTheBlocksStayPlain) {
  const int64_t block = cpu::image_channel_block();
  ASSERT_GT(block, 0);
  Pair pair = make_pair(false, {2, 8, 8}, conv3x3(2, block + 2, 1, 0, Activation::Relu), false,
                        conv3x3(block + 2, 4, 1, 0, Activation::Relu), 5);
  EXPECT_FALSE(link_blocked_images(*pair.first, *pair.second));
  EXPECT_EQ(pair.first->output_layout(), cpu::ImageLayout::Plain);
  EXPECT_FALSE(cpu::can_block_channels(block + 2));
  EXPECT_TRUE(cpu::can_block_channels(3 * block));
}

// The network links the convolutions within each half and leaves its input, code and output
// NCHW: the code of an all-convolutional model is the same whichever layout runs inside.
TEST(ConvBlockedLink, AutoencoderLinksWithinHalvesOnly) {
  ModelSpec spec;
  spec.input_shape = {1, 12, 12};
  const std::string c = std::to_string(cpu::image_channel_block());
  const std::string up = "kernel=3, stride=2, padding=1, output_padding=1";
  spec.encoder = parse_layer_specs("conv2d(out=" + c + ", kernel=3, stride=2, padding=1, activation=relu) conv2d(out=" + c +
                                       ", kernel=3, stride=2, padding=1, activation=relu)",
                                   "encoder");
  spec.decoder = parse_layer_specs("conv_transpose2d(out=" + c + ", " + up + ", activation=relu) conv_transpose2d(out=1, " +
                                       up + ", activation=sigmoid)",
                                   "decoder");
  Autoencoder net(spec, 3);
  auto& e0 = dynamic_cast<ConvLayer&>(net.layer(0));
  auto& e1 = dynamic_cast<ConvLayer&>(net.layer(1));
  auto& d0 = dynamic_cast<ConvLayer&>(net.layer(2));
  auto& d1 = dynamic_cast<ConvLayer&>(net.layer(3));
  EXPECT_EQ(e0.output_layout(), cpu::ImageLayout::Blocked);
  EXPECT_EQ(e1.input_layout(), cpu::ImageLayout::Blocked);
  EXPECT_EQ(e1.output_layout(), cpu::ImageLayout::Plain);  // the code
  EXPECT_EQ(d0.input_layout(), cpu::ImageLayout::Plain);
  EXPECT_EQ(d0.output_layout(), cpu::ImageLayout::Blocked);
  EXPECT_EQ(d1.output_layout(), cpu::ImageLayout::Plain);

  // The code equals the plain layers' code on the same weights.
  Rng rng(2);
  const Tensor x = random_tensor({3, 144}, rng, 0.0f, 1.0f);
  const Tensor code = net.encode(x.view());
  Conv2d p0(e0.input_shape(), e0.settings()), p1(e1.input_shape(), e1.settings());
  p0.weight() = e0.weight(), p0.bias() = e0.bias(), p1.weight() = e1.weight(), p1.bias() = e1.bias();
  Tensor h, expected;
  p0.forward(x.view(), h, Mode::Infer);
  p1.forward(h.view(), expected, Mode::Infer);
  expect_near_tensors("code", code, expected);
}

}  // namespace
}  // namespace aekit::test
