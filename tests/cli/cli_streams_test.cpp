// `-` for standard input and output, and Ctrl-C on the verbs that do not train (issue 9, point 6).
#include "cli_spawn.h"

#include <aekit/core/rng.h>
#include <aekit/data/npy.h>

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <thread>

namespace aekit::test {
namespace {

namespace fs = std::filesystem;

// 120 rows of 4 features with a header and a text label column "kind".
void write_labelled_table(const std::string& path) {
  Rng rng(5);
  std::ostringstream csv;
  csv << "a,b,c,d,kind\n";
  for (int r = 0; r < 120; ++r) {
    for (int c = 0; c < 4; ++c) csv << rng.uniform() << ",";
    csv << (r % 2 ? "even" : "odd") << "\n";
  }
  write_text(path, csv.str());
}

// A model of the labelled table, trained in `dir` as m.aek.
void train_table_model(const ScratchDir& dir) {
  write_labelled_table(dir / "data.csv");
  const CommandResult trained =
      run_aekit(dir, "train --data data.csv --label-column kind --arch 4-2 --epochs 2 --threads 1 --out m.aek");
  ASSERT_EQ(trained.exit_code, 0) << trained.err;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(CliStreams, DataFromStdinAndTablesToStdout) {
  ScratchDir dir;
  train_table_model(dir);

  // encode: CSV in, CSV out, with the header and the label column; what was written goes to stderr.
  const CommandResult codes = run_aekit(dir, "encode m.aek --data - --label-column kind --out -", "data.csv");
  ASSERT_EQ(codes.exit_code, 0) << codes.err;
  const std::vector<std::string> code_lines = lines_of(codes.out);
  ASSERT_EQ(code_lines.size(), 121u) << codes.out;
  EXPECT_EQ(code_lines[0], "code_0,code_1,kind");
  EXPECT_EQ(code_lines[1].substr(code_lines[1].rfind(',') + 1), "odd");
  EXPECT_NE(codes.err.find("120 codes of 2 values written to -"), std::string::npos) << codes.err;

  // decode reads encode's output from stdin (picking the code columns by name) and writes stdout.
  write_text(dir / "codes.csv", codes.out);
  const CommandResult decoded = run_aekit(dir, "decode m.aek --data - --out -", "codes.csv");
  ASSERT_EQ(decoded.exit_code, 0) << decoded.err;
  const std::vector<std::string> decoded_lines = lines_of(decoded.out);
  ASSERT_EQ(decoded_lines.size(), 121u);
  EXPECT_EQ(decoded_lines[0], "a,b,c,d");

  // reconstruct to stdout is the same table shape as the data.
  const CommandResult recon = run_aekit(dir, "reconstruct m.aek --data - --label-column kind --out -", "data.csv");
  ASSERT_EQ(recon.exit_code, 0) << recon.err;
  EXPECT_EQ(lines_of(recon.out).size(), 121u);
  EXPECT_EQ(lines_of(recon.out)[0], "a,b,c,d,kind");

  // A .npy array on stdin is told from text by its magic.
  Tensor x({120, 4});
  Rng rng(9);
  for (float& v : x.span()) v = static_cast<float>(rng.uniform());
  write_npy(dir / "x.npy", x);
  const CommandResult from_npy = run_aekit(dir, "encode m.aek --data - --out codes.npy", "x.npy");
  ASSERT_EQ(from_npy.exit_code, 0) << from_npy.err;
  EXPECT_EQ(read_npy(dir / "codes.npy").shape(), (Shape{120, 2}));

  // train reads its data from stdin too.
  const CommandResult trained =
      run_aekit(dir, "train --data - --label-column kind --arch 4-2 --epochs 1 --out s.aek", "data.csv");
  ASSERT_EQ(trained.exit_code, 0) << trained.err;
  EXPECT_NE(trained.err.find("on stdin (120 x 4)"), std::string::npos) << trained.err;
}

TEST(CliStreams, StdoutOnlyForTablesAndStdinErrorsSayStdin) {
  ScratchDir dir;
  train_table_model(dir);
  write_text(dir / "ragged.csv", "a,b,c,d\n1,2,3,4\n1,2,3\n");
  const std::vector<std::string> before = dir.listing();

  const CommandResult model_out = run_aekit(dir, "train --data data.csv --label-column kind --out -");
  EXPECT_EQ(model_out.exit_code, 2);
  EXPECT_NE(model_out.err.find("--out -: this output is a file"), std::string::npos) << model_out.err;
  const CommandResult png_out = run_aekit(dir, "reconstruct m.aek --data data.csv --png -");
  EXPECT_EQ(png_out.exit_code, 2);
  EXPECT_NE(png_out.err.find("--png -: this output is a file"), std::string::npos) << png_out.err;

  const CommandResult ragged = run_aekit(dir, "encode m.aek --data - --out -", "ragged.csv");
  EXPECT_EQ(ragged.exit_code, 2);
  EXPECT_EQ(count_lines(ragged.err), 1) << ragged.err;
  EXPECT_NE(ragged.err.find("stdin:3: expected 4 cells, found 3"), std::string::npos) << ragged.err;
  EXPECT_TRUE(ragged.out.empty()) << ragged.out;

  const CommandResult empty = run_aekit(dir, "encode m.aek --data - --out -");  // stdin is /dev/null
  EXPECT_EQ(empty.exit_code, 2);
  EXPECT_NE(empty.err.find("stdin"), std::string::npos) << empty.err;
  EXPECT_EQ(dir.listing(), before);
}

// Waits until `pid` is blocked reading its standard input (read(2) on fd 0, from
// /proc/PID/syscall): a moment when it is surely running aekit's code, whatever the load.
bool wait_until_reading_stdin(pid_t pid) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string syscall = slurp("/proc/" + std::to_string(pid) + "/syscall");
    if (syscall.rfind("0 0x0 ", 0) == 0) return true;  // read(0, ...)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

TEST(CliStreams, CtrlCAndSigtermEndEveryVerbWithAMessageAndNothingWritten) {
  ScratchDir dir;
  train_table_model(dir);
  const std::vector<std::string> before = dir.listing();
  for (int signal : {SIGINT, SIGTERM}) {
    int writer = -1;
    const pid_t pid = spawn_reading_a_pipe(dir, {"encode", "m.aek", "--data", "-", "--out", "codes.csv"}, writer);
    ASSERT_TRUE(wait_until_reading_stdin(pid)) << "aekit never read its standard input";
    kill(pid, signal);
    int status = 0;
    waitpid(pid, &status, 0);
    close(writer);
    const std::string err = slurp(dir / ".stderr");
    ASSERT_TRUE(WIFEXITED(status)) << "ended by the signal itself, not by aekit's handler: " << err;
    EXPECT_EQ(WEXITSTATUS(status), 128 + signal) << err;
    EXPECT_NE(err.find(signal == SIGINT ? "aekit: interrupted" : "aekit: terminated"), std::string::npos) << err;
    fs::remove(dir / ".stdout");
    fs::remove(dir / ".stderr");
    EXPECT_EQ(dir.listing(), before) << "an interrupted verb wrote something";
  }
}

}  // namespace
}  // namespace aekit::test
