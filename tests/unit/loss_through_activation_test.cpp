// RowSeparableLoss::rows_serial_through (the data-parallel step's output layer, one pass) must
// give the floats of its two passes, rows_serial then cpu::activation_backward_serial, bit for
// bit: every pointwise loss through every activation, on rows of a width no vector divides, with
// the outputs in each activation's range and at its edges (0, 1, -1, 20 for softplus).
#include <aekit/backend/cpu/elementwise.h>
#include <aekit/core/rng.h>
#include <aekit/losses/loss.h>
#include <aekit/losses/pointwise_loss.h>
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

namespace aekit {
namespace {

TEST(LossThroughActivation, OnePassGivesTheTwoPassesFloats) {
  const int64_t rows = 5, cols = 37;
  Rng rng(4);
  Tensor y({rows, cols}), t({rows, cols});
  const float edges[] = {0.0f, 1.0f, -1.0f, 20.0f, 1e-7f};
  for (int64_t i = 0; i < y.size(); ++i) {
    y[i] = i % 9 == 0 ? edges[(i / 9) % 5] : rng.uniform(-0.5f, 1.5f);
    t[i] = rng.uniform(0.0f, 1.0f);
  }
  const float scale = 1.0f / static_cast<float>(y.size());
  for (const char* name : {"mse", "bce", "l1", "bce_logits"}) {
    const auto loss = make_loss(name);
    const auto* separable = dynamic_cast<const RowSeparableLoss*>(loss.get());
    ASSERT_NE(separable, nullptr) << name;
    for (Activation act : {Activation::Identity, Activation::Sigmoid, Activation::Tanh, Activation::Relu,
                           Activation::LeakyRelu, Activation::Elu, Activation::Selu, Activation::Softplus}) {
      SCOPED_TRACE(std::string(name) + " through activation " + std::to_string(static_cast<int>(act)));
      std::vector<float> dy(static_cast<size_t>(y.size())), two(dy.size()), one(dy.size(), -7.0f);
      std::vector<double> sums_two(rows), sums_one(rows);
      separable->rows_serial(y.view(), t.view(), scale, dy.data(), sums_two.data());
      cpu::activation_backward_serial(y.data(), dy.data(), two.data(), y.size(), act);
      separable->rows_serial_through(y.view(), t.view(), scale, act, one.data(), sums_one.data());
      EXPECT_EQ(0, std::memcmp(one.data(), two.data(), one.size() * sizeof(float)));
      EXPECT_EQ(0, std::memcmp(sums_one.data(), sums_two.data(), rows * sizeof(double)));  // bce's NaN rows too
    }
  }
}

}  // namespace
}  // namespace aekit
