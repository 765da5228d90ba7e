// The contractive layer's closed form is the encoder's Jacobian: for a one-layer encoder,
// sum of squares of d code / d input by finite differences equals jacobian_norms(), and the
// training term is weight * term scale * its batch mean. For deeper encoders the same holds of
// exact_norms(), and of the mean of the Hutchinson estimate.
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

// Sum of squares of d code / d input by central differences of net.encode, per row.
std::vector<double> numeric_jacobian_norms(Autoencoder& net, const Tensor& x) {
  constexpr float h = 1e-3f;
  std::vector<double> out;
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
    out.push_back(numeric);
  }
  return out;
}

const Contractive& contractive_of(Autoencoder& net) {
  for (size_t i = 0; i < net.layer_count(); ++i)
    if (auto* c = dynamic_cast<const Contractive*>(&net.layer(i))) return *c;
  throw std::logic_error("no contractive layer");
}

// Deeper encoders: the chain's exact norm is the encoder's Jacobian norm, the training term with
// probes=0 is its batch mean, and Hutchinson's probes average to it.
void check_chain(const std::string& encoder) {
  ModelSpec spec;
  spec.input_shape = {6};
  spec.encoder = parse_layer_specs(encoder, "encoder");
  spec.decoder = parse_layer_specs("dense(out=6, activation=sigmoid)", "decoder");
  Autoencoder net(spec, 2);
  Rng rng(8);
  Tensor x({3, 6});
  for (float& v : x.span()) v = rng.uniform(-1.0f, 1.0f);
  const Contractive& layer = contractive_of(net);
  ASSERT_FALSE(layer.closed_form()) << encoder;
  const std::vector<double> exact = layer.exact_norms(x.view());
  const std::vector<double> numeric = numeric_jacobian_norms(net, x);
  double mean = 0;
  for (size_t r = 0; r < exact.size(); ++r) {
    EXPECT_NEAR(exact[r], numeric[r], 2e-2 * numeric[r] + 1e-6) << encoder << " row " << r;
    mean += exact[r] / 3.0;
  }
  EXPECT_GT(mean, 0.0) << encoder;
  // The training term: weight 3, term scale 1/6, with the probes the spec asks for.
  const bool exact_probes = encoder.find("probes=0") != std::string::npos;
  auto& mutable_layer = const_cast<Contractive&>(layer);
  double estimate = 0;
  const int draws = exact_probes ? 1 : 10000;
  for (int d = 0; d < draws; ++d) {
    mutable_layer.reseed(static_cast<uint64_t>(d));
    net.forward(x.view(), Mode::Train);
    ASSERT_EQ(net.loss_terms().size(), 1u);
    estimate += net.loss_terms()[0].value / draws;
  }
  // Hutchinson: one probe's estimate has a relative deviation of at most sqrt(2); the mean of
  // 10000 draws is within 1.5% (one deviation) of the norm.
  EXPECT_NEAR(estimate, 3.0 / 6.0 * mean, (exact_probes ? 1e-5 : 5e-2) * mean) << encoder;
  net.forward(x.view(), Mode::Infer);
  EXPECT_TRUE(net.loss_terms().empty());
}

TEST(Contractive, ChainIsTheEncodersJacobianTwoLayersExact) {
  check_chain("dense(out=5, activation=tanh) dense(out=3, activation=sigmoid) contractive(weight=3, probes=0)");
}
TEST(Contractive, ChainIsTheEncodersJacobianThreeLayersExact) {
  check_chain("dense(out=7, activation=relu) dense(out=5, activation=sigmoid) dense(out=2) contractive(weight=3, probes=0)");
}
TEST(Contractive, HutchinsonProbesAverageToTheJacobianNorm) {
  check_chain("dense(out=5, activation=sigmoid) dense(out=4, activation=tanh) contractive(weight=3)");
}
TEST(Contractive, ChainAfterACorruptLayer) {
  check_chain("corrupt(noise=gaussian, level=0) dense(out=5, activation=sigmoid) dense(out=3) contractive(weight=3, probes=0)");
}

TEST(Contractive, NeedsADenseLayerWithAKnownDerivative) {
  ModelSpec spec;
  spec.input_shape = {6};
  spec.decoder = parse_layer_specs("dense(out=6)", "decoder");
  for (const char* bad : {"contractive(weight=1) dense(out=4, activation=sigmoid)",
                          "dense(out=4, activation=elu) contractive(weight=1)",
                          "dense(out=4, activation=sigmoid) dropout(p=0.1) contractive(weight=1)",
                          "dense(out=4, activation=sigmoid) contractive(weight=-1)",
                          "dense(out=4, activation=sigmoid) contractive(lambda=1)",
                          "dense(out=4, activation=elu) dense(out=3, activation=sigmoid) contractive(weight=1)",
                          "dense(out=4, activation=sigmoid) dense(out=3) contractive(weight=1, probes=-1)",
                          "dense(out=4, activation=sigmoid) dense(out=3) contractive(weight=1, probes=100000)"}) {
    spec.encoder = parse_layer_specs(bad, "encoder");
    EXPECT_THROW(Autoencoder(spec, 0), InputError) << bad;
  }
}

}  // namespace
}  // namespace aekit
