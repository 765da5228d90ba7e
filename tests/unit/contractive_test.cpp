// The contractive layer's closed form is the encoder's Jacobian: for a one-layer encoder,
// sum of squares of d code / d input by finite differences equals jacobian_norms(), and the
// training term is weight * term scale * its batch mean.
#include <aekit/core/error.h>
#include <aekit/layers/contractive.h>
#include <aekit/models/autoencoder.h>

#include <gtest/gtest.h>

namespace aekit {
namespace {

void check_jacobian(const std::string& activation) {
  ModelSpec spec;
  spec.input_shape = {6};
  spec.encoder = parse_layer_specs("dense(out=4, activation=" + activation + ") contractive(weight=3)", "encoder");
  spec.decoder = parse_layer_specs("dense(out=6, activation=sigmoid)", "decoder");
  Autoencoder net(spec, 2);
  Rng rng(8);
  Tensor x({3, 6});
  for (float& v : x.span()) v = rng.uniform(-1.0f, 1.0f);
  const Tensor codes = net.encode(x.view());
  const auto& layer = dynamic_cast<const Contractive&>(net.layer(1));
  const std::vector<double> closed = layer.jacobian_norms(codes.view());
  constexpr float h = 1e-3f;
  for (int64_t r = 0; r < x.rows(); ++r) {
    double numeric = 0;
    for (int64_t i = 0; i < x.cols(); ++i) {
      Tensor up = x, down = x;
      up.row(r)[i] += h;
      down.row(r)[i] -= h;
      const Tensor a = net.encode(up.view()), b = net.encode(down.view());
      for (int64_t j = 0; j < a.cols(); ++j) {
        const double d = (static_cast<double>(a.row(r)[j]) - b.row(r)[j]) / (2 * h);
        numeric += d * d;
      }
    }
    EXPECT_NEAR(closed[static_cast<size_t>(r)], numeric, 2e-2 * numeric + 1e-6) << activation << " row " << r;
  }
  net.forward(x.view(), Mode::Train);
  double mean = 0;
  for (double v : closed) mean += v / 3.0;
  ASSERT_EQ(net.loss_terms().size(), 1u);
  EXPECT_EQ(net.loss_terms()[0].name, "contractive");
  EXPECT_NEAR(net.loss_terms()[0].value, 3.0 / 6.0 * mean, 1e-5 * mean);
  net.forward(x.view(), Mode::Infer);
  EXPECT_TRUE(net.loss_terms().empty());
}

TEST(Contractive, ClosedFormIsTheJacobianNormSigmoid) { check_jacobian("sigmoid"); }
TEST(Contractive, ClosedFormIsTheJacobianNormTanh) { check_jacobian("tanh"); }
TEST(Contractive, ClosedFormIsTheJacobianNormRelu) { check_jacobian("relu"); }

TEST(Contractive, NeedsADenseLayerWithAKnownDerivative) {
  ModelSpec spec;
  spec.input_shape = {6};
  spec.decoder = parse_layer_specs("dense(out=6)", "decoder");
  for (const char* bad : {"contractive(weight=1) dense(out=4, activation=sigmoid)",
                          "dense(out=4, activation=elu) contractive(weight=1)",
                          "dense(out=4, activation=sigmoid) dropout(p=0.1) contractive(weight=1)",
                          "dense(out=4, activation=sigmoid) contractive(weight=-1)",
                          "dense(out=4, activation=sigmoid) contractive(lambda=1)"}) {
    spec.encoder = parse_layer_specs(bad, "encoder");
    EXPECT_THROW(Autoencoder(spec, 0), InputError) << bad;
  }
}

}  // namespace
}  // namespace aekit
