// The family's flags on the command line and in config files: --corrupt and --sparsity add their
// layers to the dense shorthand (stored in the model file), eval --corrupt measures reconstructing
// clean data from corrupted input, and bad values are one-line errors with exit code 2.
#include "cli_runner.h"

#include <aekit/io/model_file.h>

#include <nlohmann/json.hpp>

namespace aekit::test {
namespace {

TEST(CliFamily, CorruptAndSparsityFlagsBuildTheirLayers) {
  ScratchDir dir;
  write_uniform_csv(dir / "data.csv", 200, 10, 4);
  auto train = run_aekit(dir,
                         "train --data data.csv --arch 10-16 --activation sigmoid --corrupt masking:0.25 "
                         "--sparsity kl:0.05:3 --epochs 2 --batch-size 50 --out m.aek");
  ASSERT_EQ(train.exit_code, 0) << train.err;
  EXPECT_NE(train.err.find("kl_sparsity "), std::string::npos) << train.err;
  auto info = run_aekit(dir, "info m.aek");
  ASSERT_EQ(info.exit_code, 0) << info.err;
  EXPECT_NE(info.out.find("corrupt(level=0.25, noise=masking)"), std::string::npos) << info.out;
  EXPECT_NE(info.out.find("kl_sparsity(beta=3, rho=0.05)"), std::string::npos) << info.out;

  auto clean = run_aekit(dir, "eval m.aek --data data.csv --json");
  auto noisy = run_aekit(dir, "eval m.aek --data data.csv --json --corrupt salt_pepper:0.5 --corrupt-seed 3");
  ASSERT_EQ(clean.exit_code, 0) << clean.err;
  ASSERT_EQ(noisy.exit_code, 0) << noisy.err;
  const auto c = nlohmann::json::parse(clean.out), n = nlohmann::json::parse(noisy.out);
  EXPECT_EQ(n["corrupt"], "salt_pepper:0.5");
  EXPECT_FALSE(c.contains("corrupt"));
  // Half the values replaced by 0 or 1: reconstructing the clean data gets clearly harder.
  EXPECT_GT(n["mse_per_element"].get<double>(), c["mse_per_element"].get<double>());
  // The same seed corrupts the same way.
  auto again = run_aekit(dir, "eval m.aek --data data.csv --json --corrupt salt_pepper:0.5 --corrupt-seed 3");
  EXPECT_EQ(nlohmann::json::parse(again.out)["mse_per_element"], n["mse_per_element"]);
}

TEST(CliFamily, ConfigFileSelectsTheMembers) {
  ScratchDir dir;
  write_uniform_csv(dir / "data.csv", 200, 10, 4);
  write_text(dir / "dae.conf",
             "data = \"data.csv\"\narch = \"10-8\"\ncorrupt = \"gaussian:0.1\"\nsparsity = \"l1:0.01\"\n"
             "epochs = 1\nout = \"dae.aek\"\n");
  auto train = run_aekit(dir, "train --config dae.conf");
  ASSERT_EQ(train.exit_code, 0) << train.err;
  auto info = run_aekit(dir, "info dae.aek");
  EXPECT_NE(info.out.find("corrupt(level=0.1, noise=gaussian)"), std::string::npos) << info.out;
  EXPECT_NE(info.out.find("l1_activity(weight=0.01)"), std::string::npos) << info.out;
}

TEST(CliFamily, TiedStoresEachWeightOnce) {
  ScratchDir dir;
  write_uniform_csv(dir / "data.csv", 200, 10, 4);
  auto train = run_aekit(dir, "train --data data.csv --arch 10-6-3 --tied --epochs 2 --batch-size 50 --out m.aek");
  ASSERT_EQ(train.exit_code, 0) << train.err;
  std::vector<std::string> names;
  for (const NamedTensor& t : load_model(dir / "m.aek").tensors) names.push_back(t.name);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"decoder.0.bias", "decoder.1.bias", "encoder.0.bias", "encoder.0.weight",
                                             "encoder.1.bias", "encoder.1.weight"}));
  auto info = run_aekit(dir, "info m.aek");
  EXPECT_NE(info.out.find("10-6-3-6-10 (tied_dense)"), std::string::npos) << info.out;
  // relu hidden: the default on a table (train/data_defaults.h).
  EXPECT_NE(info.out.find("tied_dense(activation=relu, out=6, tie=encoder.1) "
                          "tied_dense(activation=sigmoid, out=10, tie=encoder.0)"),
            std::string::npos)
      << info.out;
  EXPECT_NE(info.out.find("tied=true"), std::string::npos) << info.out;
  auto eval = run_aekit(dir, "eval m.aek --data data.csv");
  EXPECT_EQ(eval.exit_code, 0) << eval.err;

  write_text(dir / "tied.conf", "data = \"data.csv\"\narch = \"10-4\"\ntied = true\nepochs = 1\nout = \"t.aek\"\n");
  auto from_config = run_aekit(dir, "train --config tied.conf");
  ASSERT_EQ(from_config.exit_code, 0) << from_config.err;
  EXPECT_EQ(load_model(dir / "t.aek").tensors.size(), 3u);
}

// A tied layer's out (its output size, which planning the file needs) is checked against the layer
// it ties when the model is built: a file where they disagree fails with one line, exit code 2.
TEST(CliFamily, TiedOutDisagreeingWithTheTiedLayerIsOneLineError) {
  ScratchDir dir;
  write_uniform_csv(dir / "data.csv", 200, 10, 4);
  auto train = run_aekit(dir, "train --data data.csv --arch 10-6-6 --tied --epochs 1 --batch-size 50 --out m.aek");
  ASSERT_EQ(train.exit_code, 0) << train.err;
  ModelFile file = load_model(dir / "m.aek");
  nlohmann::json arch = nlohmann::json::parse(file.metadata["architecture"]);
  ASSERT_EQ(arch["decoder"][0]["tie"], "encoder.1") << arch.dump();
  ASSERT_EQ(arch["decoder"][0]["out"], 6) << arch.dump();
  // encoder.0 maps 10 -> 6: it takes this layer's 6 inputs, but its transpose gives 10 values, not 6.
  arch["decoder"][0]["tie"] = "encoder.0";
  file.metadata["architecture"] = arch.dump();
  save_model(dir / "bad.aek", file);
  for (const char* command : {"info bad.aek", "eval bad.aek --data data.csv"}) {
    auto r = run_aekit(dir, command);
    EXPECT_EQ(r.exit_code, 2) << command << "\n" << r.out << r.err;
    EXPECT_EQ(count_lines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find("bad.aek"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("tie=encoder.0 maps 10 -> 6 values, but this layer needs one that maps 6 -> 6"),
              std::string::npos) << r.err;
  }
}

TEST(CliFamily, BadFamilyValuesAreOneLineErrors) {
  ScratchDir dir;
  write_uniform_csv(dir / "data.csv", 200, 10, 4);
  for (const char* bad : {"--corrupt blur:0.1", "--corrupt masking:2", "--corrupt masking", "--sparsity kl:0.05",
                          "--sparsity kl:2:3", "--sparsity l1:x", "--sparsity dropout:0.1",
                          "--tied true --decoder 4-7-10", "--tied maybe"}) {
    auto r = run_aekit(dir, std::string("train --data data.csv --arch 10-4 --epochs 1 --out m.aek ") + bad);
    EXPECT_EQ(r.exit_code, 2) << bad << "\n" << r.err;
    EXPECT_EQ(count_lines(r.err), 1) << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir / "m.aek"));
  }
  auto train = run_aekit(dir, "train --data data.csv --arch 10-4 --epochs 1 --out m.aek");
  ASSERT_EQ(train.exit_code, 0) << train.err;
  for (const char* bad : {"--corrupt gaussian", "--corrupt gaussian:-1", "--corrupt-seed 1 --corrupt x:1"}) {
    auto r = run_aekit(dir, std::string("eval m.aek --data data.csv ") + bad);
    EXPECT_EQ(r.exit_code, 2) << bad << "\n" << r.err;
    EXPECT_EQ(count_lines(r.err), 1) << r.err;
  }
}

}  // namespace
}  // namespace aekit::test
