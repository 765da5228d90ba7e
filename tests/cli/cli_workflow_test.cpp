// The command's contract end to end on small generated data: train, eval, encode, decode,
// reconstruct, info, config files and the metrics log.
#include "cli_runner.h"
#include <cstdio>

#include <aekit/core/rng.h>
#include <aekit/data/npy.h>
#include <nlohmann/json.hpp>

namespace aekit::test {
namespace {

// 300 rows of 12 features in [0, 10] on a 3-D subspace, written as CSV with a header.
void write_dataset(const std::string& path, int rows = 300) {
  Rng rng(1);
  std::ostringstream csv;
  for (int c = 0; c < 12; ++c) csv << (c ? "," : "") << "f" << c;
  csv << "\n";
  for (int r = 0; r < rows; ++r) {
    float a = rng.uniform(), b = rng.uniform(), d = rng.uniform();
    for (int c = 0; c < 12; ++c) csv << (c ? "," : "") << 10.0f * (a * (c % 3 == 0) + b * (c % 3 == 1) + d * (c % 3 == 2));
    csv << "\n";
  }
  write_text(path, csv.str());
}

const char* kTrain = "train --data data.csv --arch 12-8-3 --activation tanh --output-activation sigmoid "
                     "--loss mse --optimizer adam --lr 0.01 --batch-size 32 --epochs 30 --seed 0 --out model.aek";

TEST(CliWorkflow, TrainEvalEncodeDecodeReconstruct) {
  ScratchDir dir;
  write_dataset(dir / "data.csv");
  auto train = run_aekit(dir, kTrain + std::string(" --metrics-csv metrics.csv"));
  ASSERT_EQ(train.exit_code, 0) << train.err;
  EXPECT_NE(train.out.find("model written to model.aek"), std::string::npos) << train.out;
  EXPECT_EQ(count_lines(slurp(dir / "metrics.csv")), 31);  // header + one line per epoch

  auto eval = run_aekit(dir, "eval model.aek --data data.csv --json");
  ASSERT_EQ(eval.exit_code, 0) << eval.err;
  auto j = nlohmann::json::parse(eval.out);
  EXPECT_EQ(j.at("samples").get<int>(), 300);
  const double mse = j.at("mse_per_element").get<double>();
  EXPECT_LT(mse, 0.01) << "a 3-unit code reconstructs 3-D data";
  EXPECT_NEAR(j.at("sse_per_sample").get<double>(), mse * 12, 1e-6);

  auto encode = run_aekit(dir, "encode model.aek --data data.csv --out codes.npy");
  ASSERT_EQ(encode.exit_code, 0) << encode.err;
  Tensor codes = read_npy(dir / "codes.npy");
  EXPECT_EQ(codes.shape(), (Shape{300, 3}));

  auto decode = run_aekit(dir, "decode model.aek --data codes.npy --out recon.csv");
  ASSERT_EQ(decode.exit_code, 0) << decode.err;
  EXPECT_EQ(count_lines(slurp(dir / "recon.csv")), 301);  // a header and the rows

  auto recon = run_aekit(dir, "reconstruct model.aek --data data.csv --out recon.npy");
  ASSERT_EQ(recon.exit_code, 0) << recon.err;
  Tensor r = read_npy(dir / "recon.npy");
  EXPECT_EQ(r.shape(), (Shape{300, 12}));
  // Reconstructions come back in the data's units (0..10), not the model's [0, 1].
  float max = 0;
  for (float v : r.span()) max = std::max(max, v);
  EXPECT_GT(max, 5.0f);

  auto info = run_aekit(dir, "info model.aek");
  ASSERT_EQ(info.exit_code, 0) << info.err;
  EXPECT_NE(info.out.find("12-8-3"), std::string::npos) << info.out;
}

TEST(CliWorkflow, ConfigFileWithCommandLineOverride) {
  ScratchDir dir;
  write_dataset(dir / "data.csv", 64);
  write_text(dir / "run.conf", "data = \"data.csv\"\narch = \"12-4\"\nepochs = 5\nbatch_size = 16\nlr = 0.005\n");
  auto r = run_aekit(dir, "train --config run.conf --epochs 2 --out m.aek --metrics-csv m.csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(count_lines(slurp(dir / "m.csv")), 3) << "the flag's 2 epochs win over the file's 5";
  auto info = run_aekit(dir, "info m.aek");
  EXPECT_NE(info.out.find("12-4"), std::string::npos) << info.out;
  EXPECT_NE(info.out.find("lr=0.005"), std::string::npos) << info.out;
}

TEST(CliWorkflow, SameSeedSameModelBytes) {
  ScratchDir dir;
  write_dataset(dir / "data.csv", 100);
  const std::string args = "train --data data.csv --arch 12-6-3 --epochs 3 --threads 2 --seed 7 --out ";
  ASSERT_EQ(run_aekit(dir, args + "a.aek").exit_code, 0);
  ASSERT_EQ(run_aekit(dir, args + "b.aek").exit_code, 0);
  // The files differ only in recorded timings; the tensors are the tail of the file.
  const std::string a = slurp(dir / "a.aek"), b = slurp(dir / "b.aek");
  const size_t tensor_bytes = (12 * 6 + 6 + 6 * 3 + 3 + 3 * 6 + 6 + 6 * 12 + 12) * 4;
  ASSERT_GT(a.size(), tensor_bytes);
  EXPECT_EQ(a.substr(a.size() - tensor_bytes), b.substr(b.size() - tensor_bytes));
}

TEST(CliWorkflow, CsvDelimiterAndHeaderOptions) {
  ScratchDir dir;
  // Semicolons, and a first line of numbers that auto-detection would take as data anyway:
  // --header yes must drop it.
  std::string csv = "9;9;9\n";
  for (int r = 0; r < 40; ++r) csv += std::to_string(r % 4) + ";" + std::to_string(r % 3) + ";1\n";
  write_text(dir / "semi.txt", csv);
  auto r = run_aekit(dir, "train --data semi.txt --delimiter ';' --header yes --arch 3-2 --epochs 1 --out m.aek");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("(40 x 3)"), std::string::npos) << r.err;
  auto eval = run_aekit(dir, "eval m.aek --data semi.txt --delimiter ';' --header no --json");
  ASSERT_EQ(eval.exit_code, 0) << eval.err;
  EXPECT_NE(eval.out.find("\"samples\":41"), std::string::npos) << eval.out;
  auto bad = run_aekit(dir, "eval m.aek --data semi.txt --delimiter ab");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--delimiter 'ab'"), std::string::npos) << bad.err;
}

TEST(CliWorkflow, InfoSystemReportsTheGemm) {
  ScratchDir dir;
  auto r = run_aekit(dir, "info --system");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("oneDNN"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ISA"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("matmul"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("kernel "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("worker team (spins 50 us"), std::string::npos) << r.out;
}

// stdout of `aekit info --system` run with the environment changed by `env_args` (env(1) syntax).
std::string info_system_with(const std::string& env_args) {
  const std::string cmd = "env " + env_args + " '" + std::string(AEKIT_CLI_PATH) + "' info --system";
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return "popen failed";
  std::string out;
  char buf[256];
  while (std::fgets(buf, sizeof buf, pipe)) out += buf;
  if (pclose(pipe) != 0) out += "\n(non-zero exit)";
  return out;
}

// aekit chooses passive OpenMP waiting for itself, and leaves the user's own choice alone.
TEST(CliWorkflow, InfoSystemReportsTheOpenMpWaiting) {
  const std::string own = info_system_with("-u GOMP_SPINCOUNT -u OMP_WAIT_POLICY");
  EXPECT_NE(own.find("OMP_WAIT_POLICY=passive (aekit's default)"), std::string::npos) << own;
  const std::string users = info_system_with("-u OMP_WAIT_POLICY GOMP_SPINCOUNT=5000");
  EXPECT_NE(users.find("GOMP_SPINCOUNT=5000 (from the environment)"), std::string::npos) << users;
}

TEST(CliWorkflow, HelpListsTheVerbs) {
  ScratchDir dir;
  auto r = run_aekit(dir, "--help");
  EXPECT_EQ(r.exit_code, 0);
  for (const char* verb : {"train", "eval", "encode", "decode", "reconstruct", "info", "demo"})
    EXPECT_NE(r.out.find(verb), std::string::npos) << verb;
}

}  // namespace
}  // namespace aekit::test
