// Proves that aekit's optimizers reproduce PyTorch step for step: the fixtures hold PyTorch's
// parameters after each of 5 steps on fixed random gradients (scripts/make-optim-fixtures.py).
// A missing fixture fails the test; it is never skipped.
#include <aekit/train/optimizer.h>

#include "optim_fixture.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace aekit {
namespace {

using nlohmann::json;

using test::load_optim_fixture;

// Overlays the fixture's settings (aekit's field names) on aekit's defaults.
OptimizerConfig config_from(const std::string& name, const json& settings) {
  OptimizerConfig c = OptimizerConfig::defaults_for(name);
  for (const auto& [key, value] : settings.items()) {
    if (key == "lr") c.lr = value;
    else if (key == "weight_decay") c.weight_decay = value;
    else if (key == "momentum") c.momentum = value;
    else if (key == "dampening") c.dampening = value;
    else if (key == "nesterov") c.nesterov = value;
    else if (key == "beta1") c.beta1 = value;
    else if (key == "beta2") c.beta2 = value;
    else if (key == "amsgrad") c.amsgrad = value;
    else if (key == "alpha") c.alpha = value;
    else if (key == "centered") c.centered = value;
    else if (key == "lr_decay") c.lr_decay = value;
    else if (key == "initial_accumulator_value") c.initial_accumulator_value = value;
    else if (key == "eps") c.eps = value;
    else throw std::runtime_error("fixture names an unknown setting: " + key);
  }
  return c;
}

bool parity_close(float actual, float expected) {
  return std::fabs(actual - expected) <= 1e-6f + 1e-5f * std::fabs(expected);
}

// Distance in units in the last place, to report how close to bit-exact the match is.
int64_t ulps(float a, float b) {
  const auto ordered = [](float x) {
    int32_t bits;
    std::memcpy(&bits, &x, sizeof bits);
    return bits < 0 ? int64_t{INT32_MIN} - bits : int64_t{bits};
  };
  return std::llabs(ordered(a) - ordered(b));
}

void check_parity(const std::string& name) {
  const json fixture = load_optim_fixture(name + ".json");
  ASSERT_EQ(fixture.at("optimizer"), name);
  int64_t max_ulps = 0;
  for (const json& c : fixture.at("cases")) {
    SCOPED_TRACE(name + "/" + c.at("case").get<std::string>());
    std::vector<std::vector<float>> values, grads;
    for (const json& initial : c.at("initial")) values.push_back(initial.get<std::vector<float>>());
    grads.resize(values.size());
    std::vector<ParamRef> refs;
    for (size_t k = 0; k < values.size(); ++k) {
      grads[k].resize(values[k].size());
      refs.push_back({values[k].data(), grads[k].data(), static_cast<int64_t>(values[k].size())});
    }
    auto optimizer = make_optimizer(config_from(name, c.at("config")), refs);
    for (size_t step = 0; step < c.at("grads").size(); ++step) {
      for (size_t k = 0; k < grads.size(); ++k) {
        const auto g = c.at("grads")[step][k].get<std::vector<float>>();
        std::copy(g.begin(), g.end(), grads[k].begin());
      }
      optimizer->step();
      for (size_t k = 0; k < values.size(); ++k) {
        const auto expected = c.at("params")[step][k].get<std::vector<float>>();
        ASSERT_EQ(expected.size(), values[k].size());
        for (size_t i = 0; i < expected.size(); ++i) {
          ASSERT_TRUE(parity_close(values[k][i], expected[i]))
              << "step " << step + 1 << ", parameter " << k << ", element " << i << ": aekit "
              << values[k][i] << ", PyTorch " << expected[i];
          max_ulps = std::max(max_ulps, ulps(values[k][i], expected[i]));
        }
      }
    }
  }
  ::testing::Test::RecordProperty("max_ulps", std::to_string(max_ulps));
}

TEST(OptimParity, Sgd) { check_parity("sgd"); }
TEST(OptimParity, RmsProp) { check_parity("rmsprop"); }
TEST(OptimParity, Adam) { check_parity("adam"); }
TEST(OptimParity, AdamW) { check_parity("adamw"); }
TEST(OptimParity, Adagrad) { check_parity("adagrad"); }

// defaults_for gives what torch.optim's constructors default to (SGD's lr aside: PyTorch has
// none, and the fixture leaves it out).
TEST(OptimParity, DefaultsMatchPyTorch) {
  for (const std::string name : {"sgd", "rmsprop", "adam", "adamw", "adagrad"}) {
    SCOPED_TRACE(name);
    const json torch_defaults = load_optim_fixture(name + ".json").at("defaults");
    const OptimizerConfig expected = config_from(name, torch_defaults);
    const OptimizerConfig actual = OptimizerConfig::defaults_for(name);
    EXPECT_EQ(actual.lr, expected.lr);
    EXPECT_EQ(actual.weight_decay, expected.weight_decay);
    EXPECT_EQ(actual.momentum, expected.momentum);
    EXPECT_EQ(actual.dampening, expected.dampening);
    EXPECT_EQ(actual.nesterov, expected.nesterov);
    EXPECT_EQ(actual.beta1, expected.beta1);
    EXPECT_EQ(actual.beta2, expected.beta2);
    EXPECT_EQ(actual.amsgrad, expected.amsgrad);
    EXPECT_EQ(actual.alpha, expected.alpha);
    EXPECT_EQ(actual.centered, expected.centered);
    EXPECT_EQ(actual.lr_decay, expected.lr_decay);
    EXPECT_EQ(actual.initial_accumulator_value, expected.initial_accumulator_value);
    if (torch_defaults.contains("eps")) {
      EXPECT_EQ(actual.eps, expected.eps);
    }
  }
}

}  // namespace
}  // namespace aekit
