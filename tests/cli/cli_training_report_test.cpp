// Early stopping said out loud, and the training record as JSON (issue 9, point 5): train prints
// where it stopped and which epoch's weights it kept, info shows the same, info --json prints the
// whole record and train --json a closing summary object.
#include "cli_runner.h"

#include <nlohmann/json.hpp>

namespace aekit::test {
namespace {

// A min-delta no epoch can beat: the first epoch is the best, and patience 2 stops at epoch 3.
const std::string kStopsEarly =
    "train --data d.csv --arch 5-2 --epochs 200 --batch-size 16 --threads 1 --validation-split 0.25 "
    "--patience 2 --min-delta 1000 --out m.aek";

TEST(CliTrainingReport, EarlyStoppingIsSaidByTrainAndInfo) {
  ScratchDir dir;
  write_uniform_csv(dir / "d.csv", 80, 5, 5);
  auto train = run_aekit(dir, kStopsEarly);
  ASSERT_EQ(train.exit_code, 0) << train.err;
  EXPECT_NE(train.err.find("aekit: stopped early at epoch 3 of 200 (no validation loss improvement in 2 epochs); "
                           "kept the weights of epoch 1 (validation loss "),
            std::string::npos)
      << train.err;

  auto info = run_aekit(dir, "info m.aek");
  ASSERT_EQ(info.exit_code, 0) << info.err;
  EXPECT_NE(info.out.find("stopping     stopped early at epoch 3 of 200"), std::string::npos) << info.out;

  auto json = run_aekit(dir, "info m.aek --json");
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const auto j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j.at("model"), "m.aek");
  EXPECT_EQ(j.at("parameters").get<int>(), 5 * 2 + 2 + 2 * 5 + 5);
  EXPECT_EQ(j.at("input_shape"), nlohmann::json({5}));
  EXPECT_EQ(j.at("training").at("best_epoch").get<int>(), 1);
  EXPECT_TRUE(j.at("training").at("stopped_early").get<bool>());
  EXPECT_EQ(j.at("training").at("history").size(), 3u);
  EXPECT_EQ(j.at("training").at("settings").at("patience"), "2");
  EXPECT_EQ(j.at("preprocess").at("kind"), "minmax");
}

TEST(CliTrainingReport, TrainJsonPrintsOneClosingObject) {
  ScratchDir dir;
  write_uniform_csv(dir / "d.csv", 80, 5, 5);
  auto train = run_aekit(dir, kStopsEarly + " --test d.csv --json");
  ASSERT_EQ(train.exit_code, 0) << train.err;
  ASSERT_EQ(count_lines(train.out), 1) << "stdout is the one JSON object:\n" << train.out;
  const auto j = nlohmann::json::parse(train.out);
  EXPECT_EQ(j.at("model"), "m.aek");
  EXPECT_EQ(j.at("epochs_run").get<int>(), 3);
  EXPECT_EQ(j.at("best_epoch").get<int>(), 1);
  EXPECT_TRUE(j.at("stopped_early").get<bool>());
  EXPECT_GT(j.at("best_val_loss").get<double>(), 0.0);
  EXPECT_GT(j.at("test").at("mse_per_element").get<double>(), 0.0);
  // The human lines moved to stderr.
  EXPECT_NE(train.err.find("model written to m.aek"), std::string::npos) << train.err;
}

TEST(CliTrainingReport, NoStoppingLineWhenTheLastEpochIsKept) {
  ScratchDir dir;
  write_uniform_csv(dir / "d.csv", 80, 5, 5);
  auto train = run_aekit(dir, "train --data d.csv --arch 5-2 --epochs 2 --threads 1 --out m.aek");
  ASSERT_EQ(train.exit_code, 0) << train.err;
  EXPECT_EQ(train.err.find("kept the weights"), std::string::npos) << train.err;
  auto info = run_aekit(dir, "info m.aek");
  EXPECT_EQ(info.out.find("stopping"), std::string::npos) << info.out;
}

}  // namespace
}  // namespace aekit::test
