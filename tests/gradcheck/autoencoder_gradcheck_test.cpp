// The whole network: parameter gradients of a deep autoencoder through every layer and a loss.
#include "gradcheck.h"

#include <aekit/losses/loss.h>
#include <aekit/models/dense_arch.h>
#include <aekit/models/autoencoder.h>
#include <aekit/layers/layer_spec.h>

namespace aekit::test {
namespace {

void check_network(const std::string& loss_name, const std::string& activation) {
  DenseArch spec;
  spec.encoder = {6, 5, 3};
  spec.decoder = {3, 4, 6};
  spec.activation = activation;
  Autoencoder net(spec.to_spec(), 3);
  auto loss = make_loss(loss_name);
  net.set_output_logits(loss->takes_logits());
  Rng rng(5);
  Tensor x = random_tensor({4, 6}, rng, 0.0f, 1.0f);
  Tensor grad;
  auto objective = [&] { return loss->compute(net.forward(x.view(), Mode::Train).view(), x.view(), nullptr); };
  loss->compute(net.forward(x.view(), Mode::Train).view(), x.view(), &grad);
  net.backward(grad.view());
  for (const Param& p : net.params()) {
    Tensor analytic = *p.grad;
    expect_gradient_matches(loss_name + "/" + activation + " " + p.name, *p.value, analytic, objective, 1e-2,
                            1e-4, 2e-2);
  }
}

// An image network with flatten and reshape in its middle, which the network does not run (their
// neighbours read each other's buffers): every parameter's gradient, through both of them. The
// channel counts fill oneDNN's channel blocks, so the convolutions of each half are also linked.
TEST(AutoencoderGradcheck, ConvWithFlattenAndReshapeInTheMiddle) {
  ModelSpec spec;
  spec.input_shape = {1, 6, 6};
  spec.encoder = parse_layer_specs(
      "conv2d(out=16, kernel=3, stride=2, padding=1, activation=tanh) conv2d(out=2, kernel=1) flatten() "
      "dense(out=4, activation=tanh)",
      "encoder");
  spec.decoder = parse_layer_specs(
      "dense(out=18, activation=tanh) reshape(channels=2, height=3, width=3) "
      "conv_transpose2d(out=16, kernel=1, activation=tanh) "
      "conv_transpose2d(out=1, kernel=3, stride=2, padding=1, output_padding=1, activation=sigmoid)",
      "decoder");
  Autoencoder net(spec, 3);
  auto loss = make_loss("mse");
  Rng rng(5);
  Tensor x = random_tensor({3, 36}, rng, 0.0f, 1.0f);
  Tensor grad;
  auto objective = [&] { return loss->compute(net.forward(x.view(), Mode::Train).view(), x.view(), nullptr); };
  loss->compute(net.forward(x.view(), Mode::Train).view(), x.view(), &grad);
  net.backward(grad.view());
  for (const Param& p : net.params()) {
    Tensor analytic = *p.grad;
    expect_gradient_matches("conv network " + p.name, *p.value, analytic, objective, 1e-2, 1e-4, 2e-2);
  }
  // The code is the flattened image after the dense layer; encode and decode still run the halves.
  EXPECT_EQ(net.encode(x.view()).cols(), 4);
  EXPECT_EQ(net.decode(net.encode(x.view()).view()).cols(), 36);
}

TEST(AutoencoderGradcheck, MseSigmoid) { check_network("mse", "sigmoid"); }
TEST(AutoencoderGradcheck, BceTanh) { check_network("bce", "tanh"); }
TEST(AutoencoderGradcheck, BceLogitsElu) { check_network("bce_logits", "elu"); }
TEST(AutoencoderGradcheck, L1Softplus) { check_network("l1", "softplus"); }

}  // namespace
}  // namespace aekit::test
