// Loss terms through the whole network: the gradient of reconstruction loss + penalties, by finite
// differences, for every parameter, with each penalty layer in place.
#include "gradcheck.h"

#include <aekit/layers/contractive.h>
#include <aekit/losses/loss.h>
#include <aekit/models/autoencoder.h>

namespace aekit::test {

// Checks d(loss + penalty)/d(params) of a 6 -> ... -> 6 network given as layer-spec text.
// `before_forward` runs before every forward (a stochastic penalty's probes held fixed).
inline void check_objective(const std::string& encoder, const std::string& decoder, const std::string& loss_name,
                            double atol = 1e-4, const std::function<void(Autoencoder&)>& before_forward = {}) {
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
    if (before_forward) before_forward(net);
    const double l = loss->compute(net.forward(x.view(), Mode::Train).view(), x.view(), nullptr);
    return l + net.penalty();
  };
  if (before_forward) before_forward(net);
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

// Deeper encoders: the penalty reaches every layer below it, through the tangents (W_k t_{k-1})
// and through the slopes g_k of every activation. Exact (the input's basis as probes) and with
// Hutchinson's probes held fixed (reseeded before every forward).
TEST(PenaltyGradcheck, ContractiveTwoLayerEncoderExact) {
  check_objective("dense(out=5, activation=tanh) dense(out=3, activation=sigmoid) contractive(weight=2, probes=0)",
                  "dense(out=6, activation=sigmoid)", "mse");
}

TEST(PenaltyGradcheck, ContractiveThreeLayerEncoderExactLinearCode) {
  check_objective("dense(out=5, activation=sigmoid) dense(out=4, activation=tanh) dense(out=3) contractive(weight=2, probes=0)",
                  "dense(out=6, activation=sigmoid)", "bce");
}

void fix_probes(Autoencoder& net) {
  for (size_t i = 0; i < net.layer_count(); ++i)
    if (auto* c = dynamic_cast<Contractive*>(&net.layer(i))) c->reseed(17);
}

TEST(PenaltyGradcheck, ContractiveTwoLayerEncoderFixedProbes) {
  check_objective("dense(out=5, activation=sigmoid) dense(out=3, activation=tanh) contractive(weight=2, probes=3)",
                  "dense(out=6, activation=sigmoid)", "mse", 1e-4, fix_probes);
}

// (A relu unit whose input is within the finite difference's step of 0 makes the penalty jump
// there, as relu's slope does: this network's relu units stay clear of it.)
TEST(PenaltyGradcheck, ContractiveReluEncoderFixedProbesBeforeASparsityTerm) {
  check_objective("dense(out=6, activation=tanh) dense(out=5, activation=relu) dense(out=4, activation=sigmoid) "
                  "contractive(weight=2) kl_sparsity(rho=0.2, beta=1)",
                  "dense(out=6, activation=sigmoid)", "bce", 1e-4, fix_probes);
}

}  // namespace
}  // namespace aekit::test
