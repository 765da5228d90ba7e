// A dense layer linked to a neighbouring convolution (link_blocked_dense, layers/blocked_dense_link.h)
// reads or writes the image in the blocked layout through permuted weights. The network must
// compute what the same layers compute unlinked, on NCHW, which the finite-difference checks and
// the PyTorch fixtures prove: outputs, every parameter gradient (in PyTorch's order, as the model
// file stores them), for a full batch and an odd one.
#include "gradcheck.h"

#include <aekit/backend/cpu/convolution.h>
#include <aekit/layers/blocked_dense_link.h>
#include <aekit/layers/conv2d.h>
#include <aekit/layers/conv_transpose2d.h>
#include <aekit/layers/dense.h>
#include <aekit/models/autoencoder.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

namespace aekit::test {
namespace {

void expect_near(const std::string& what, const Tensor& a, const Tensor& b) {
  ASSERT_EQ(a.size(), b.size()) << what;
  int bad = 0;
  for (int64_t i = 0; i < a.size(); ++i)
    if (std::abs(a[i] - b[i]) > 1e-5f + 1e-4f * std::abs(b[i]) && bad++ < 5)
      ADD_FAILURE() << what << "[" << i << "]: linked " << a[i] << " vs plain " << b[i];
  EXPECT_EQ(bad, 0) << what;
}

// The reference model's shape in small: conv, conv, flatten, dense (the code), dense, reshape,
// convt, convt; c channels between the convolutions and the dense layers.
ModelSpec reference_like(int64_t c, const std::string& code_extra = "") {
  ModelSpec spec;
  spec.input_shape = {1, 12, 12};
  const std::string ch = std::to_string(c);
  const std::string down = "kernel=3, stride=2, padding=1, activation=relu";
  const std::string up = "kernel=3, stride=2, padding=1, output_padding=1";
  spec.encoder = parse_layer_specs("conv2d(out=" + ch + ", " + down + ") conv2d(out=" + ch + ", " + down +
                                       ") flatten() dense(out=8, activation=sigmoid) " + code_extra,
                                   "encoder");
  spec.decoder = parse_layer_specs("dense(out=" + std::to_string(c * 9) + ", activation=relu) reshape(channels=" + ch +
                                       ", height=3, width=3) conv_transpose2d(out=" + ch + ", " + up +
                                       ", activation=relu) conv_transpose2d(out=1, " + up + ", activation=sigmoid)",
                                   "decoder");
  return spec;
}

// The network's layers with parameters, rebuilt unlinked with the same weights.
struct PlainChain {
  std::vector<std::unique_ptr<Layer>> layers;

  explicit PlainChain(Autoencoder& net) {
    for (size_t i = 0; i < net.layer_count(); ++i) {
      Layer& l = net.layer(i);
      if (auto* conv = dynamic_cast<ConvLayer*>(&l)) {
        if (conv->kind() == "conv2d")
          layers.push_back(std::make_unique<Conv2d>(conv->input_shape(), conv->settings()));
        else
          layers.push_back(std::make_unique<ConvTranspose2d>(conv->input_shape(), conv->settings()));
      } else if (auto* dense = dynamic_cast<Dense*>(&l)) {
        layers.push_back(std::make_unique<Dense>(dense->in_features(), dense->out_features(), dense->activation()));
      } else {
        continue;  // flatten, reshape: the same bytes
      }
      auto from = l.params(), to = layers.back()->params();
      for (size_t k = 0; k < from.size(); ++k) *to[k].value = *from[k].value;
    }
  }

  Tensor forward(const Tensor& x) {
    outputs_.resize(layers.size());
    ConstMatrixView in = x.view();
    for (size_t i = 0; i < layers.size(); ++i) {
      layers[i]->forward(in, outputs_[i], Mode::Train);
      in = outputs_[i].view();
    }
    return outputs_.back();
  }

  void backward(const Tensor& dy) {
    Tensor g = dy, dx;
    for (size_t i = layers.size(); i-- > 0;) {
      layers[i]->backward(g.view(), i == 0 ? nullptr : &dx);
      g = dx;
    }
  }

  std::vector<Param> params() {
    std::vector<Param> all;
    for (auto& l : layers)
      for (const Param& p : l->params()) all.push_back(p);
    return all;
  }

  std::vector<Tensor> outputs_;
};

TEST(BlockedDenseLink, TheNetworkLinksDenseLayersToTheirConvolutionsAndComputesWhatPlainLayersDo) {
  ASSERT_GT(cpu::image_channel_block(), 0) << "aekit's CPU backend needs at least AVX2";
  const int64_t c = 2 * cpu::image_channel_block();  // two channel blocks
  Autoencoder net(reference_like(c), 7);
  auto& conv_out = dynamic_cast<ConvLayer&>(net.layer(1));
  auto& code = dynamic_cast<Dense&>(net.layer(3));
  auto& widen = dynamic_cast<Dense&>(net.layer(4));
  auto& convt_in = dynamic_cast<ConvLayer&>(net.layer(6));
  EXPECT_EQ(conv_out.output_layout(), cpu::ImageLayout::Blocked);
  EXPECT_TRUE(code.reads_reordered_input());
  EXPECT_FALSE(code.writes_reordered_output());  // the code stays in its own order
  EXPECT_FALSE(widen.reads_reordered_input());
  EXPECT_TRUE(widen.writes_reordered_output());
  EXPECT_EQ(convt_in.input_layout(), cpu::ImageLayout::Blocked);

  PlainChain plain(net);
  ASSERT_EQ(plain.layers.size(), 6u);
  for (int64_t rows : {4, 3}) {
    const std::string batch = " batch " + std::to_string(rows);
    Rng rng(11 + static_cast<uint64_t>(rows));
    const Tensor x = random_tensor({rows, 144}, rng, 0.0f, 1.0f);
    const Tensor r = random_tensor({rows, 144}, rng);
    const Tensor expected = plain.forward(x);
    expect_near("output" + batch, net.forward(x.view(), Mode::Train), expected);
    plain.backward(r);
    net.backward(r.view());
    const std::vector<Param> linked = net.params(), unlinked = plain.params();
    ASSERT_EQ(linked.size(), unlinked.size());
    for (size_t k = 0; k < linked.size(); ++k) expect_near("d " + linked[k].name + batch, *linked[k].grad, *unlinked[k].grad);
    // Inference (encode, chunked) reads the same weights the same way.
    expect_near("code" + batch, net.encode(x.view()), plain.outputs_[2]);
    expect_near("reconstruction" + batch, net.reconstruct(x.view()), expected);
  }
}

TEST(BlockedDenseLink, NotUnderAContractivePenaltyNorForChannelsThatDoNotFillTheBlocks) {
  const int64_t block = cpu::image_channel_block();
  ASSERT_GT(block, 0);
  // The contractive penalty reads the code layer's input in the features' own order.
  Autoencoder contractive(reference_like(block, "contractive(weight=0.1)"), 7);
  EXPECT_EQ(dynamic_cast<ConvLayer&>(contractive.layer(1)).output_layout(), cpu::ImageLayout::Plain);
  EXPECT_FALSE(dynamic_cast<Dense&>(contractive.layer(3)).reads_reordered_input());
  // The decoder has no such penalty: its dense layer still writes the blocked image.
  EXPECT_TRUE(dynamic_cast<Dense&>(contractive.layer(5)).writes_reordered_output());

  Autoencoder odd(reference_like(block + 2), 7);
  EXPECT_FALSE(dynamic_cast<Dense&>(odd.layer(3)).reads_reordered_input());
  EXPECT_FALSE(dynamic_cast<Dense&>(odd.layer(4)).writes_reordered_output());
  EXPECT_EQ(dynamic_cast<ConvLayer&>(odd.layer(6)).input_layout(), cpu::ImageLayout::Plain);
}

TEST(BlockedDenseLink, BlockedPositionsArePixelsOfChannelGroupsWithTheGroupsChannelsInnermost) {
  const int64_t block = cpu::image_channel_block();
  ASSERT_GT(block, 0);
  const ImageShape image{2 * block, 2, 3};
  const std::vector<int64_t> pos = blocked_image_positions(image);
  ASSERT_EQ(static_cast<int64_t>(pos.size()), image.size());
  EXPECT_EQ(pos[0], 0);                   // channel 0, pixel 0
  EXPECT_EQ(pos[1], block);               // channel 0, pixel 1: after pixel 0's whole group
  EXPECT_EQ(pos[6], 1);                   // channel 1, pixel 0
  EXPECT_EQ(pos[static_cast<size_t>(block * 6)], 6 * block);  // channel `block`: the second group
  std::vector<bool> seen(pos.size(), false);
  for (int64_t p : pos) seen[static_cast<size_t>(p)] = true;
  EXPECT_EQ(std::count(seen.begin(), seen.end(), true), image.size());
}

}  // namespace
}  // namespace aekit::test
