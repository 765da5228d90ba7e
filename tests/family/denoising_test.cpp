// Denoising autoencoder (issue 7, point 2) on 2000 MNIST digits: trained on corrupted digits to
// reconstruct the clean ones, it reconstructs clean held-out digits from corrupted copies better
// than the same autoencoder trained plainly, for masking, gaussian noise and salt and pepper.
#include "family_data.h"

#include <aekit/core/error.h>
#include <aekit/layers/corruption.h>
#include <aekit/losses/loss.h>
#include <aekit/models/autoencoder.h>
#include <aekit/train/trainer.h>

#include <gtest/gtest.h>

namespace aekit::test {
namespace {

// 784-64-784, sigmoid, BCE, 10 epochs on 2000 training digits, with `corruption_layer` first.
Autoencoder trained_model(const std::string& corruption_layer) {
  ModelSpec spec;
  spec.input_shape = {784};
  spec.encoder = parse_layer_specs(corruption_layer + " dense(out=64, activation=sigmoid)", "encoder");
  spec.decoder = parse_layer_specs("dense(out=784, activation=sigmoid)", "decoder");
  Autoencoder net(spec, 1);
  train_on_mnist_subset(net, "bce", 10);
  return net;
}

// MSE per pixel between 1000 clean test digits and the model's reconstructions of corrupted copies.
double mse_from_corrupted(Autoencoder& net, const Corruption& corruption) {
  const Tensor clean = mnist_subset("test", 1000, 2);
  Tensor noisy = clean;
  Rng rng(7);
  corrupt_values(noisy.view(), corruption, rng);
  const Tensor recon = net.reconstruct(noisy.view());
  double sse = 0;
  for (int64_t i = 0; i < clean.size(); ++i) sse += (recon[i] - clean[i]) * (recon[i] - clean[i]);
  return sse / static_cast<double>(clean.size());
}

// One plain model serves every corruption: trained once, it is measured on each corrupted copy.
TEST(DenoisingAutoencoder, BeatsThePlainModelOnEachCorruptionOfMnist) {
  require_mnist();
  if (IsSkipped() || HasFatalFailure()) return;
  Autoencoder plain = trained_model("");
  // The bound per corruption, with the ratio measured here: masking 0.67, gaussian 0.86, salt and
  // pepper 0.75 of the plain model's error.
  struct Case {
    std::string kind;
    double level, bound;
  };
  for (const auto& [kind, level, bound] : {Case{"masking", 0.5, 0.8}, Case{"gaussian", 0.5, 0.93},
                                           Case{"salt_pepper", 0.2, 0.85}}) {
    const Corruption corruption = Corruption::make(kind, level);
    Autoencoder denoiser = trained_model("corrupt(noise=" + kind + ", level=" + std::to_string(level) + ")");
    const double denoising = mse_from_corrupted(denoiser, corruption), plain_mse = mse_from_corrupted(plain, corruption);
    std::printf("%s:%g  mse per pixel from corrupted test digits: denoising %.5f, plain %.5f\n", kind.c_str(), level,
                denoising, plain_mse);
    EXPECT_LT(denoising, bound * plain_mse) << kind;
  }
}

TEST(Corruption, ParsesAndRejects) {
  EXPECT_EQ(Corruption::parse("salt_pepper:0.1").kind, CorruptionKind::SaltPepper);
  EXPECT_EQ(Corruption::parse("gaussian:0.3").level, 0.3);
  for (const char* bad : {"gaussian", "gaussian:", "blur:0.1", "masking:1.5", "masking:-0.1", "gaussian:x",
                          "gaussian:nan", "masking:0.1x"})
    EXPECT_THROW(Corruption::parse(bad), InputError) << bad;
}

TEST(Corruption, ReplacesTheAskedFractionAndOnlyInTraining) {
  Tensor x({50, 20});
  x.fill(0.5f);
  Rng rng(3);
  corrupt_values(x.view(), Corruption::parse("salt_pepper:0.4"), rng);
  int replaced = 0, salt = 0;
  for (float v : x.span()) {
    EXPECT_TRUE(v == 0.5f || v == 0.0f || v == 1.0f);
    replaced += v != 0.5f;
    salt += v == 1.0f;
  }
  EXPECT_NEAR(replaced / 1000.0, 0.4, 0.06);
  EXPECT_NEAR(salt / static_cast<double>(replaced), 0.5, 0.1);

  Tensor g({100, 50});
  corrupt_values(g.view(), Corruption::parse("gaussian:0.3"), rng);
  double sum = 0, sq = 0;
  for (float v : g.span()) sum += v, sq += static_cast<double>(v) * v;
  EXPECT_NEAR(sum / 5000, 0.0, 0.02);
  EXPECT_NEAR(std::sqrt(sq / 5000), 0.3, 0.02);

  Corrupt layer(20, Corruption::parse("masking:0.5"), 1);
  Tensor y, in({4, 20});
  in.fill(1.0f);
  layer.forward(in.view(), y, Mode::Infer);
  for (float v : y.span()) EXPECT_EQ(v, 1.0f);
  layer.forward(in.view(), y, Mode::Train);
  int zeros = 0;
  for (float v : y.span()) zeros += v == 0.0f;
  EXPECT_GT(zeros, 20);
  EXPECT_LT(zeros, 60);
}

}  // namespace
}  // namespace aekit::test
