// make_optimizer rejects what torch.optim's constructors reject, with one clear line each.
#include <aekit/core/error.h>
#include <aekit/train/optimizer.h>

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

namespace aekit {
namespace {

// The message make_optimizer throws for `config`, or "" when it accepts it.
std::string error_for(const OptimizerConfig& config) {
  std::vector<float> value(4), grad(4);
  try {
    make_optimizer(config, {{value.data(), grad.data(), 4}});
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

OptimizerConfig with(const std::string& name, const std::function<void(OptimizerConfig&)>& edit) {
  OptimizerConfig c = OptimizerConfig::defaults_for(name);
  edit(c);
  return c;
}

TEST(OptimConfig, DefaultsAreAccepted) {
  for (const std::string name : {"sgd", "rmsprop", "adam", "adamw", "adagrad"})
    EXPECT_EQ(error_for(OptimizerConfig::defaults_for(name)), "") << name;
}

TEST(OptimConfig, DefaultsFollowPyTorch) {
  EXPECT_FLOAT_EQ(OptimizerConfig::defaults_for("sgd").lr, 1e-3f);  // aekit's choice
  EXPECT_FLOAT_EQ(OptimizerConfig::defaults_for("adam").lr, 1e-3f);
  EXPECT_FLOAT_EQ(OptimizerConfig::defaults_for("adam").weight_decay, 0.0f);
  EXPECT_FLOAT_EQ(OptimizerConfig::defaults_for("adamw").weight_decay, 1e-2f);
  EXPECT_FLOAT_EQ(OptimizerConfig::defaults_for("rmsprop").lr, 1e-2f);
  EXPECT_FLOAT_EQ(OptimizerConfig::defaults_for("rmsprop").alpha, 0.99f);
  EXPECT_FLOAT_EQ(OptimizerConfig::defaults_for("adagrad").lr, 1e-2f);
  EXPECT_FLOAT_EQ(OptimizerConfig::defaults_for("adagrad").eps, 1e-10f);
}

TEST(OptimConfig, UnknownNameListsTheValidOnes) {
  try {
    OptimizerConfig::defaults_for("adamax");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              "unknown optimizer 'adamax' (valid: sgd, rmsprop, adam, adamw, adagrad)");
  }
  OptimizerConfig c;
  c.name = "Adam";
  EXPECT_EQ(error_for(c), "unknown optimizer 'Adam' (valid: sgd, rmsprop, adam, adamw, adagrad)");
}

TEST(OptimConfig, NesterovNeedsMomentumAndNoDampening) {
  EXPECT_EQ(error_for(with("sgd", [](auto& c) { c.nesterov = true; })),
            "optimizer sgd: nesterov needs momentum > 0 and dampening = 0, got momentum 0 and "
            "dampening 0");
  EXPECT_NE(error_for(with("sgd", [](auto& c) {
              c.nesterov = true;
              c.momentum = 0.9f;
              c.dampening = 0.1f;
            })),
            "");
  EXPECT_EQ(error_for(with("sgd", [](auto& c) {
              c.nesterov = true;
              c.momentum = 0.9f;
            })),
            "");
}

TEST(OptimConfig, RejectsOutOfRangeValues) {
  EXPECT_EQ(error_for(with("adam", [](auto& c) { c.lr = -0.1f; })),
            "optimizer adam: lr must be >= 0, got -0.1");
  EXPECT_EQ(error_for(with("adamw", [](auto& c) { c.beta1 = 1.0f; })),
            "optimizer adamw: beta1 must be in [0, 1), got 1");
  EXPECT_EQ(error_for(with("adam", [](auto& c) { c.beta2 = -0.5f; })),
            "optimizer adam: beta2 must be in [0, 1), got -0.5");
  EXPECT_EQ(error_for(with("rmsprop", [](auto& c) { c.eps = -1e-8f; })),
            "optimizer rmsprop: eps must be >= 0, got -1e-08");
  EXPECT_EQ(error_for(with("sgd", [](auto& c) { c.momentum = -0.9f; })),
            "optimizer sgd: momentum must be >= 0, got -0.9");
  EXPECT_EQ(error_for(with("sgd", [](auto& c) { c.weight_decay = -1.0f; })),
            "optimizer sgd: weight_decay must be >= 0, got -1");
  EXPECT_EQ(error_for(with("rmsprop", [](auto& c) { c.alpha = -0.1f; })),
            "optimizer rmsprop: alpha must be >= 0, got -0.1");
  EXPECT_EQ(error_for(with("adagrad", [](auto& c) { c.lr_decay = -1.0f; })),
            "optimizer adagrad: lr_decay must be >= 0, got -1");
  EXPECT_EQ(error_for(with("adagrad", [](auto& c) { c.initial_accumulator_value = -1.0f; })),
            "optimizer adagrad: initial_accumulator_value must be >= 0, got -1");
  EXPECT_EQ(error_for(with("adam", [](auto& c) { c.lr = std::nanf(""); })),
            "optimizer adam: lr must be >= 0, got nan");
}

}  // namespace
}  // namespace aekit
