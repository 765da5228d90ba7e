// With more than one thread a convolution's weight gradients are computed per part of the batch
// and the parts added in thread order (backend/cpu/convolution.cpp, backward_weights): at 2 and 3
// threads they must equal the one-thread gradients (which the finite-difference checks prove) up
// to the order of the float additions, for conv2d and conv_transpose2d, with channel-blocked
// images between two linked layers, uneven parts (5 images on 2 and 3 threads) and a batch
// smaller than the thread count.
#include "conv3x3.h"
#include "gradcheck.h"

#include <aekit/core/threads.h>
#include <aekit/layers/conv2d.h>
#include <aekit/layers/conv_transpose2d.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

namespace aekit::test {
namespace {

struct Net {
  std::vector<std::unique_ptr<ConvLayer>> layers;
};

// The reference model's encoder and decoder pairs, linked (blocked images between them).
Net make_net(bool transpose) {
  const int64_t c = 2 * cpu::image_channel_block();
  Net net;
  if (transpose) {
    net.layers.push_back(std::make_unique<ConvTranspose2d>(ImageShape{8, 4, 5}, conv3x3(8, c, 2, 1, Activation::Relu)));
    net.layers.push_back(std::make_unique<ConvTranspose2d>(net.layers[0]->output_shape(),
                                                           conv3x3(c, 1, 2, 1, Activation::Sigmoid)));
  } else {
    net.layers.push_back(std::make_unique<Conv2d>(ImageShape{1, 14, 13}, conv3x3(1, c, 2, 0, Activation::Relu)));
    net.layers.push_back(std::make_unique<Conv2d>(net.layers[0]->output_shape(), conv3x3(c, 32, 2, 0, Activation::Relu)));
  }
  EXPECT_TRUE(link_blocked_images(*net.layers[0], *net.layers[1]));
  Rng rng(7);
  for (auto& layer : net.layers) layer->reset_parameters(rng);
  return net;
}

// Every parameter gradient after one forward and backward pass of `rows` images at `threads`.
std::vector<Tensor> gradients(Net& net, int64_t rows, int threads) {
  set_num_threads(threads);
  Rng rng(11);
  const Tensor x = random_tensor({rows, net.layers[0]->in_features()}, rng);
  const Tensor r = random_tensor({rows, net.layers[1]->out_features()}, rng);
  Tensor h, y, dh, dx;
  net.layers[0]->forward(x.view(), h, Mode::Train);
  net.layers[1]->forward(h.view(), y, Mode::Train);
  net.layers[1]->backward(r.view(), &dh);
  net.layers[0]->backward(dh.view(), &dx);
  set_num_threads(1);
  std::vector<Tensor> grads;
  for (auto& layer : net.layers)
    for (const Param& p : layer->params()) grads.push_back(*p.grad);
  return grads;
}

TEST(ConvThreads, WeightGradientsOfPartsAddUpToTheOneThreadGradients) {
  ASSERT_GT(cpu::image_channel_block(), 0) << "aekit's CPU backend needs at least AVX2";
  for (bool transpose : {false, true}) {
    Net net = make_net(transpose);
    for (int64_t rows : {5, 2, 1}) {
      const std::vector<Tensor> one = gradients(net, rows, 1);
      for (int threads : {2, 3}) {
        const std::vector<Tensor> many = gradients(net, rows, threads);
        ASSERT_EQ(many.size(), one.size());
        for (size_t i = 0; i < one.size(); ++i) {
          ASSERT_EQ(many[i].shape(), one[i].shape());
          float largest = 0.0f;
          for (int64_t k = 0; k < one[i].size(); ++k) largest = std::max(largest, std::abs(one[i][k]));
          ASSERT_GT(largest, 0.0f);
          int bad = 0;
          for (int64_t k = 0; k < one[i].size(); ++k)
            if (std::abs(many[i][k] - one[i][k]) > 1e-5f * largest && bad++ < 5)
              ADD_FAILURE() << (transpose ? "conv_transpose2d" : "conv2d") << " gradient " << i << "[" << k
                            << "], " << rows << " rows at " << threads << " threads: " << many[i][k] << " vs "
                            << one[i][k] << " at 1 thread";
          EXPECT_EQ(bad, 0);
        }
      }
    }
  }
}

}  // namespace
}  // namespace aekit::test
