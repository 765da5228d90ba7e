// Loss terms through the whole network: the gradient of reconstruction loss + penalties, by finite
// differences, for every parameter, with each penalty layer in place.
#include "gradcheck.h"

#include <aekit/losses/loss.h>
#include <aekit/models/autoencoder.h>

namespace aekit::test {

// Checks d(loss + penalty)/d(params) of a 6 -> ... -> 6 network given as layer-spec text.
inline void check_objective(const std::string& encoder, const std::string& decoder, const std::string& loss_name,
                            double atol = 1e-4) {
  ModelSpec spec;
  spec.input_shape = {6};
  spec.encoder = parse_layer_specs(encoder, "encoder");
  spec.decoder = parse_layer_specs(decoder, "decoder");
  Autoencoder net(spec, 3);
  auto loss = make_loss(loss_name);
  Rng rng(5);
  Tensor x = random_tensor({5, 6}, rng, 0.0f, 1.0f);
  Tensor grad;
  auto objective = [&] {
    const double l = loss->compute(net.forward(x.view(), Mode::Train).view(), x.view(), nullptr);
    return l + net.penalty();
  };
  loss->compute(net.forward(x.view(), Mode::Train).view(), x.view(), &grad);
  EXPECT_GT(net.penalty(), 0.0) << encoder;
  net.backward(grad.view());
  for (const Param& p : net.params()) {
    Tensor analytic = *p.grad;
    expect_gradient_matches(encoder + " " + p.name, *p.value, analytic, objective, 1e-2, atol, 2e-2);
  }
}

namespace {

TEST(PenaltyGradcheck, L1ActivityOnTheCode) {
  check_objective("dense(out=4, activation=tanh) dense(out=3, activation=tanh) l1_activity(weight=0.5)",
                  "dense(out=6, activation=sigmoid)", "mse");
}

TEST(PenaltyGradcheck, KlSparsityOnAHiddenLayer) {
  check_objective("dense(out=4, activation=sigmoid) kl_sparsity(rho=0.1, beta=2) dense(out=3, activation=sigmoid)",
                  "dense(out=6, activation=sigmoid)", "bce");
}

// The contractive penalty reads the dense layer's weight: its weight gradient comes in
// after_backward, its activation gradient through the backward pass.
TEST(PenaltyGradcheck, ContractiveSigmoidCode) {
  check_objective("dense(out=4, activation=sigmoid) contractive(weight=2)", "dense(out=6, activation=sigmoid)", "mse");
}

TEST(PenaltyGradcheck, ContractiveTanhHiddenLayer) {
  check_objective("dense(out=4, activation=tanh) contractive(weight=2) dense(out=3, activation=sigmoid)",
                  "dense(out=6, activation=sigmoid)", "bce");
}

TEST(PenaltyGradcheck, ContractiveReluCode) {
  check_objective("dense(out=5, activation=relu) contractive(weight=2)", "dense(out=6, activation=sigmoid)", "mse");
}

}  // namespace
}  // namespace aekit::test
