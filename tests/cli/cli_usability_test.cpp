// The command behaves as people expect (issue 9, point 6): bare boolean flags, a suggestion for a
// mistyped option, --help in groups, and paths in a config file taken from the file's directory.
#include "cli_runner.h"


#include <filesystem>

namespace aekit::test {
namespace {

const char* kSmallTrain = "train --data data.csv --arch 6-3 --epochs 1 --batch-size 16 --threads 1 --out m.aek";

TEST(CliUsability, BareBooleanFlagsMeanTrue) {
  ScratchDir dir;
  write_uniform_csv(dir / "data.csv", 64, 6, 3);
  // Bare, followed by another flag and last on the line; the model records the setting.
  auto bare = run_aekit(dir, std::string(kSmallTrain) + " --optimizer sgd --momentum 0.9 --nesterov --shuffle");
  ASSERT_EQ(bare.exit_code, 0) << bare.err;
  auto info = run_aekit(dir, "info m.aek");
  ASSERT_EQ(info.exit_code, 0) << info.err;
  EXPECT_NE(info.out.find("nesterov=true"), std::string::npos) << info.out;

  auto explicit_false = run_aekit(dir, std::string(kSmallTrain) + " --nesterov false --shuffle=false");
  ASSERT_EQ(explicit_false.exit_code, 0) << explicit_false.err;
  info = run_aekit(dir, "info m.aek");
  EXPECT_NE(info.out.find("nesterov=false"), std::string::npos) << info.out;
  EXPECT_NE(info.out.find("shuffle=false"), std::string::npos) << info.out;

  auto bad = run_aekit(dir, std::string(kSmallTrain) + " --shuffle maybe");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--shuffle: 'maybe' is not true or false"), std::string::npos) << bad.err;
}

TEST(CliUsability, MistypedOptionGetsASuggestion) {
  ScratchDir dir;
  auto r = run_aekit(dir, "train --data data.csv --epoch 3");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown option --epoch for 'aekit train'; did you mean --epochs? (see aekit train --help)"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(count_lines(r.err), 1) << r.err;

  r = run_aekit(dir, "eval m.aek --dta x.csv");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("did you mean --data?"), std::string::npos) << r.err;

  // A swapped pair of letters is one slip.
  r = run_aekit(dir, "train --data data.csv --epcohs 3");
  EXPECT_NE(r.err.find("did you mean --epochs?"), std::string::npos) << r.err;

  // Nothing near: no guess, still the verb's help.
  r = run_aekit(dir, "train --zzzzzzzzzz 1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.find("did you mean"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("unknown option --zzzzzzzzzz for 'aekit train' (see aekit train --help)"), std::string::npos)
      << r.err;
}

TEST(CliUsability, HelpListsOptionsInGroupsWithExamples) {
  ScratchDir dir;
  auto r = run_aekit(dir, "train --help");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  size_t last = 0;
  for (const char* group : {"Data:", "Model:", "Training:", "Output:"}) {
    const size_t at = r.out.find(std::string("\n") + group);
    EXPECT_NE(at, std::string::npos) << group << "\n" << r.out;
    if (at != std::string::npos) {
      EXPECT_GT(at, last) << group << " out of order";
      last = at;
    }
  }
  EXPECT_NE(r.out.find("Examples:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("aekit train --data mnist:train"), std::string::npos) << r.out;
}

TEST(CliUsability, ConfigFilePathsAreRelativeToTheFile) {
  ScratchDir dir;
  std::filesystem::create_directory(dir / "project");
  write_uniform_csv(dir / "project/data.csv", 64, 6, 3);
  write_text(dir / "project/run.conf",
             "data = data.csv\nout = \"m.aek\"\nmetrics_csv = log/metrics.csv\narch = 6-3\nepochs = 1\nthreads = 1\n");
  std::filesystem::create_directory(dir / "project/log");
  // Run from the parent directory: the data is found and the outputs land beside the config.
  auto r = run_aekit(dir, "train --config project/run.conf");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::exists(dir / "project/m.aek"));
  EXPECT_TRUE(std::filesystem::exists(dir / "project/log/metrics.csv"));
  EXPECT_FALSE(std::filesystem::exists(dir / "m.aek"));

  // A flag on the command line is relative to where the command runs, as always.
  r = run_aekit(dir, "train --config project/run.conf --out here.aek");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::exists(dir / "here.aek"));

  // A dataset name stays a name.
  write_text(dir / "project/named.conf", "data = fashion-mnist:nosuchsplit\nepochs = 1\n");
  r = run_aekit(dir, "train --config project/named.conf");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.find("project/fashion-mnist"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace aekit::test
