// Tied weights: the decoder's tied_dense layers use the encoder's weights transposed. The gradient
// of each shared weight is the sum over both uses; checked by finite differences for every
// parameter, and the network has no decoder weight of its own.
#include "gradcheck.h"

#include <aekit/losses/loss.h>
#include <aekit/models/autoencoder.h>

namespace aekit::test {
namespace {

void check_tied(const std::string& loss_name, const std::string& hidden, const std::string& output) {
  ModelSpec spec;
  spec.input_shape = {6};
  spec.encoder = parse_layer_specs("dense(out=4, activation=" + hidden + ") dense(out=3, activation=" + hidden + ")",
                                   "encoder");
  spec.decoder = parse_layer_specs("tied_dense(tie=encoder.1, out=4, activation=" + hidden +
                                       ") tied_dense(tie=encoder.0, out=6, activation=" + output + ")",
                                   "decoder");
  Autoencoder net(spec, 3);
  std::vector<std::string> names;
  for (const Param& p : net.params()) names.push_back(p.name);
  EXPECT_EQ(names, (std::vector<std::string>{"encoder.0.weight", "encoder.0.bias", "encoder.1.weight",
                                             "encoder.1.bias", "decoder.0.bias", "decoder.1.bias"}));
  // Non-zero biases, so that their part of the check means something.
  Rng rng(5);
  for (const Param& p : net.params())
    if (p.name.starts_with("decoder")) *p.value = random_tensor(p.value->shape(), rng, -0.5f, 0.5f);
  auto loss = make_loss(loss_name);
  Tensor x = random_tensor({5, 6}, rng, 0.0f, 1.0f);
  Tensor grad;
  auto objective = [&] { return loss->compute(net.forward(x.view(), Mode::Train).view(), x.view(), nullptr); };
  loss->compute(net.forward(x.view(), Mode::Train).view(), x.view(), &grad);
  net.backward(grad.view());
  for (const Param& p : net.params()) {
    Tensor analytic = *p.grad;
    expect_gradient_matches(loss_name + " " + p.name, *p.value, analytic, objective, 1e-2, 1e-4, 2e-2);
  }
  // A second backward gives the same gradients: the tied part is added once, not accumulated.
  std::vector<Tensor> first;
  for (const Param& p : net.params()) first.push_back(*p.grad);
  loss->compute(net.forward(x.view(), Mode::Train).view(), x.view(), &grad);
  net.backward(grad.view());
  size_t i = 0;
  for (const Param& p : net.params()) {
    for (int64_t k = 0; k < p.grad->size(); ++k) EXPECT_EQ((*p.grad)[k], first[i][k]) << p.name;
    ++i;
  }
}

TEST(TiedGradcheck, MseSigmoid) { check_tied("mse", "sigmoid", "sigmoid"); }
TEST(TiedGradcheck, BceTanhHidden) { check_tied("bce", "tanh", "sigmoid"); }
TEST(TiedGradcheck, MseTanhIdentityOutput) { check_tied("mse", "tanh", "identity"); }

TEST(TiedDense, TieMustNameAnEarlierDenseLayerOfTheRightSize) {
  ModelSpec spec;
  spec.input_shape = {6};
  spec.encoder = parse_layer_specs("dense(out=4) dropout(p=0.1) dense(out=3)", "encoder");
  for (const char* bad : {"tied_dense(tie=encoder.0, out=6) dense(out=6)",  // encoder.0 maps 6 -> 4, gets 3
                          "tied_dense(tie=encoder.7, out=4) tied_dense(tie=encoder.0, out=6)",  // no such layer
                          "tied_dense(out=4, activation=relu) tied_dense(tie=encoder.0, out=6)",  // no tie
                          "tied_dense(tie=encoder.1) tied_dense(tie=encoder.0, out=6)",  // no out
                          "tied_dense(tie=encoder.1, out=5) tied_dense(tie=encoder.0, out=6)",  // encoder.1 takes 4
                          "tied_dense(tie=encoder.1, out=4, size=4) tied_dense(tie=encoder.0, out=6)"}) {
    spec.decoder = parse_layer_specs(bad, "decoder");
    EXPECT_THROW(Autoencoder(spec, 0), InputError) << bad;
  }
  spec.decoder = parse_layer_specs("tied_dense(tie=encoder.1, out=4) tied_dense(tie=encoder.0, out=6)", "decoder");
  EXPECT_NO_THROW(Autoencoder(spec, 0));
}

}  // namespace
}  // namespace aekit::test
