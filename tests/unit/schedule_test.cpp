// LrSchedule against torch.optim.lr_scheduler's values (tests/fixtures/optim/schedules.json,
// StepLR and CosineAnnealingLR over twice their length) and its spec parsing.
#include <aekit/core/error.h>
#include <aekit/train/schedule.h>

#include "optim_fixture.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

namespace aekit {
namespace {

using test::load_optim_fixture;

TEST(ScheduleParity, MatchesPyTorchBeyondTheLastEpoch) {
  const nlohmann::json fixture = load_optim_fixture("schedules.json");
  ASSERT_GE(fixture.at("schedules").size(), 4u);
  for (const auto& run : fixture.at("schedules")) {
    const std::string spec = run.at("spec");
    SCOPED_TRACE(spec);
    const auto schedule = LrSchedule::parse(spec, run.at("base_lr"), run.at("epochs"));
    const auto lrs = run.at("lrs").get<std::vector<double>>();
    for (size_t epoch = 0; epoch < lrs.size(); ++epoch)
      EXPECT_NEAR(schedule.lr_at(static_cast<int>(epoch)), lrs[epoch], 1e-8 + 1e-6 * lrs[epoch])
          << "epoch " << epoch;
  }
}

TEST(Schedule, ConstantKeepsTheBaseRate) {
  const auto schedule = LrSchedule::parse("constant", 0.01f, 10);
  for (int epoch : {0, 5, 100}) EXPECT_EQ(schedule.lr_at(epoch), 0.01f);
}

TEST(Schedule, StepAndCosineShapes) {
  const auto step = LrSchedule::parse("step:10:0.5", 1.0f, 100);
  EXPECT_EQ(step.lr_at(9), 1.0f);
  EXPECT_EQ(step.lr_at(10), 0.5f);
  EXPECT_EQ(step.lr_at(25), 0.25f);
  const auto cosine = LrSchedule::parse("cosine:0.0001", 0.1f, 20);
  EXPECT_FLOAT_EQ(cosine.lr_at(0), 0.1f);
  EXPECT_FLOAT_EQ(cosine.lr_at(10), 0.05005f);
  EXPECT_FLOAT_EQ(cosine.lr_at(20), 0.0001f);
}

TEST(Schedule, BadSpecsExplainTheSyntax) {
  for (const std::string spec : {"", "linear", "step", "step:10", "step:x:0.5", "step:10:0.5:1",
                                 "step:0:0.5", "step:10:-1", "cosine:abc", "cosine:-0.1",
                                 "cosine:1:2", "constant:1", "step:2.5:0.5"}) {
    try {
      LrSchedule::parse(spec, 0.1f, 10);
      ADD_FAILURE() << "accepted '" << spec << "'";
    } catch (const InputError& e) {
      const std::string message = e.what();
      EXPECT_NE(message.find("'" + spec + "'"), std::string::npos) << message;
      EXPECT_NE(message.find("step:STEP_SIZE:GAMMA"), std::string::npos) << message;
    }
  }
  EXPECT_THROW(LrSchedule::parse("cosine", 0.1f, 0), InputError);
}

}  // namespace
}  // namespace aekit
