// The trainer sums the layers' loss terms into the objective and reports them apart from the
// reconstruction loss.
#include <aekit/losses/loss.h>
#include <aekit/models/autoencoder.h>
#include <aekit/train/trainer.h>

#include <gtest/gtest.h>

namespace aekit {
namespace {

Tensor uniform_data(int64_t rows, int64_t cols, uint64_t seed) {
  Rng rng(seed);
  Tensor x({rows, cols});
  for (float& v : x.span()) v = rng.uniform();
  return x;
}

ModelSpec loss_spec_with(const std::string& penalty) {
  ModelSpec spec;
  spec.input_shape = {8};
  spec.encoder = parse_layer_specs("dense(out=6, activation=sigmoid) " + penalty, "encoder");
  spec.decoder = parse_layer_specs("dense(out=8, activation=sigmoid)", "decoder");
  return spec;
}

TEST(LossTerms, TrainerReportsThemApartFromTheReconstructionLoss) {
  const Tensor x = uniform_data(64, 8, 1);
  TrainConfig config;
  config.epochs = 2;
  config.batch_size = 16;
  Autoencoder net(loss_spec_with("kl_sparsity(rho=0.05, beta=3)"), 0);
  const TrainResult r = train(net, x, *make_loss("mse"), config);
  ASSERT_EQ(r.history.size(), 2u);
  for (const EpochReport& e : r.history) {
    ASSERT_EQ(e.terms.size(), 1u);
    EXPECT_EQ(e.terms[0].name, "kl_sparsity");
    EXPECT_GT(e.terms[0].value, 0.0);
  }
  // The reconstruction loss alone is what evaluation measures (penalties are training-only).
  EXPECT_TRUE(net.loss_terms().size() == 1u);
  net.forward(x.view(), Mode::Infer);
  EXPECT_TRUE(net.loss_terms().empty());

  Autoencoder plain(loss_spec_with(""), 0);
  const TrainResult p = train(plain, x, *make_loss("mse"), config);
  for (const EpochReport& e : p.history) EXPECT_TRUE(e.terms.empty());
}

}  // namespace
}  // namespace aekit
