// The whole network: parameter gradients of a deep autoencoder through every layer and a loss.
#include "gradcheck.h"

#include <aekit/losses/loss.h>
#include <aekit/models/dense_arch.h>
#include <aekit/models/autoencoder.h>

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

TEST(AutoencoderGradcheck, MseSigmoid) { check_network("mse", "sigmoid"); }
TEST(AutoencoderGradcheck, BceTanh) { check_network("bce", "tanh"); }
TEST(AutoencoderGradcheck, BceLogitsElu) { check_network("bce_logits", "elu"); }
TEST(AutoencoderGradcheck, L1Softplus) { check_network("l1", "softplus"); }

}  // namespace
}  // namespace aekit::test
