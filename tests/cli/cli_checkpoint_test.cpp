// `aekit train --checkpoint-every` and `--resume` as a user meets them: kill -9 at random moments,
// resume each time, and the model is byte-for-byte the weights of a run never killed; Ctrl-C
// (SIGINT) writes a checkpoint, says how to resume and exits with 130; a checkpoint of another
// run is refused in one line.
#include "cli_spawn.h"

#include <aekit/io/model_file.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <cstring>
#include <thread>

namespace aekit::test {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// The short run the tests interrupt: 2,000 rows, 12 epochs of 113 batches at one thread (about 0.6 s
// of CPU), a checkpoint every 10 batches, with dropout, a validation split and early stopping so
// that every kind of state is in the checkpoint.
std::vector<std::string> train_args(const std::string& out) {
  return {"train",    "--data",       "data.csv", "--arch",    "32-128-64", "--activation",       "relu",
          "--dropout", "0.1",         "--epochs", "12",        "--batch-size", "16",              "--lr",
          "0.003",    "--validation-split", "0.1", "--patience", "4",         "--threads",          "1",
          "--seed",   "3",            "--checkpoint-every", "10b", "--out",   out};
}

// Waits for `pid` until `deadline`; returns its wait status, or -1 if it is still running then.
int wait_until(pid_t pid, Clock::time_point deadline) {
  for (;;) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) return status;
    if (Clock::now() >= deadline) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

// Whether `pid` has not exited yet (without reaping it).
bool running(pid_t pid) {
  siginfo_t info{};
  return waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == 0;
}

int wait_for(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

// Every tensor of the model file, bytes compared (the metadata holds timings, which differ).
void expect_same_tensors(const std::string& a_path, const std::string& b_path) {
  const ModelFile a = load_model(a_path), b = load_model(b_path);
  ASSERT_EQ(a.tensors.size(), b.tensors.size());
  for (size_t i = 0; i < a.tensors.size(); ++i) {
    const Tensor &x = a.tensors[i].tensor, &y = b.tensors[i].tensor;
    EXPECT_EQ(a.tensors[i].name, b.tensors[i].name);
    ASSERT_EQ(x.shape(), y.shape()) << a.tensors[i].name;
    EXPECT_EQ(std::memcmp(x.data(), y.data(), static_cast<size_t>(x.size()) * sizeof(float)), 0)
        << a.tensors[i].name << " differs";
  }
}

// When the checkpoint at `path` was last replaced (renamed into place), or nothing.
std::optional<fs::file_time_type> checkpoint_time(const std::string& path) {
  std::error_code ec;
  const fs::file_time_type t = fs::last_write_time(path, ec);
  if (ec) return std::nullopt;
  return t;
}

std::vector<std::string> with_resume(std::vector<std::string> args, const std::string& checkpoint) {
  args.push_back("--resume");
  args.push_back(checkpoint);
  return args;
}

TEST(CliCheckpoint, KilledTwentyTimesAtRandomResumesToTheSameBytes) {
  ScratchDir dir;
  write_uniform_csv(dir / "data.csv", 2000, 32, 11);
  const auto reference_start = Clock::now();
  ASSERT_EQ(wait_for(spawn_aekit(dir, train_args("reference.aek"))), 0) << slurp(dir / ".stderr");
  // Kill moments are drawn within a window of 1/40 of the uninterrupted run, after at most one new
  // checkpoint (below), so 20 kills cannot let a run finish however fast or loaded the machine is.
  const auto window = std::max<int64_t>(
      20'000, std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - reference_start).count() / 40);
  EXPECT_FALSE(fs::exists(dir / "reference.aek.ckpt")) << "a finished run leaves its checkpoint behind";

  Rng rng(2024);
  int kills = 0, resumed = 0;
  for (; kills < 20; ++kills) {
    const bool resume = fs::exists(dir / "model.aek.ckpt");
    resumed += resume;
    const pid_t pid = spawn_aekit(dir, resume ? with_resume(train_args("model.aek"), "model.aek.ckpt")
                                              : train_args("model.aek"));
    // The first 5 moments count from the start of the process (while it loads the data, reads the
    // checkpoint, ...), the others from this run's first checkpoint (then inside a batch, or while
    // the next checkpoint is written). Counted from the start of training instead, a quick machine
    // (a 0.6 s run, a 30 ms window) killed every run before its first checkpoint was on disk.
    if (kills >= 5) {
      const auto before = checkpoint_time(dir / "model.aek.ckpt");
      const auto deadline = Clock::now() + std::chrono::seconds(60);
      while (checkpoint_time(dir / "model.aek.ckpt") == before && Clock::now() < deadline && running(pid))
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    const int status = wait_until(pid, Clock::now() + std::chrono::microseconds(rng.below(static_cast<uint64_t>(window))));
    ASSERT_EQ(status, -1) << "the run ended before kill " << kills + 1 << ": " << slurp(dir / ".stderr");
    kill(pid, SIGKILL);
    wait_for(pid);
  }
  const bool resume = fs::exists(dir / "model.aek.ckpt");
  resumed += resume;
  ASSERT_EQ(wait_for(spawn_aekit(dir, resume ? with_resume(train_args("model.aek"), "model.aek.ckpt")
                                             : train_args("model.aek"))),
            0)
      << slurp(dir / ".stderr");
  EXPECT_GE(resumed, 10) << "too few kills came after a checkpoint to test resuming";
  expect_same_tensors(dir / "reference.aek", dir / "model.aek");
  // No temporary file of a killed writer is left: the next start or save removed them.
  for (const std::string& name : dir.listing()) EXPECT_EQ(name.find(".tmp-"), std::string::npos) << name;
}

// Starts a run of `args`, sends `signal` once its first epoch has ended, and returns the wait
// status; stderr stays in dir/.stderr.
int interrupt_after_first_epoch(const ScratchDir& dir, const std::vector<std::string>& args, int signal) {
  const pid_t pid = spawn_aekit(dir, args);
  const auto deadline = Clock::now() + std::chrono::seconds(60);
  while (slurp(dir / ".stderr").find("epoch 1/") == std::string::npos && Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  kill(pid, signal);
  return wait_for(pid);
}

TEST(CliCheckpoint, CtrlCWritesACheckpointSaysHowToResumeAndExits130) {
  ScratchDir dir;
  write_uniform_csv(dir / "data.csv", 2000, 32, 12);
  ASSERT_EQ(wait_for(spawn_aekit(dir, train_args("reference.aek"))), 0) << slurp(dir / ".stderr");
  std::vector<std::string> args = train_args("model.aek");
  args.erase(args.end() - 4, args.end() - 2);  // no --checkpoint-every: Ctrl-C alone writes one
  const int status = interrupt_after_first_epoch(dir, args, SIGINT);
  const std::string err = slurp(dir / ".stderr");
  ASSERT_TRUE(WIFEXITED(status)) << err;
  EXPECT_EQ(WEXITSTATUS(status), 130) << err;
  EXPECT_NE(err.find("training interrupted "), std::string::npos) << err;
  EXPECT_NE(err.find("run the same command with --resume model.aek.ckpt"), std::string::npos) << err;
  EXPECT_TRUE(fs::exists(dir / "model.aek.ckpt"));
  EXPECT_FALSE(fs::exists(dir / "model.aek")) << "an interrupted run wrote a model";
  ASSERT_EQ(wait_for(spawn_aekit(dir, with_resume(args, "model.aek.ckpt"))), 0) << slurp(dir / ".stderr");
  expect_same_tensors(dir / "reference.aek", dir / "model.aek");
  EXPECT_FALSE(fs::exists(dir / "model.aek.ckpt")) << "the finished run left its checkpoint";
}

TEST(CliCheckpoint, SigtermStopsTooAndACheckpointOfOtherOptionsIsRefusedInOneLine) {
  ScratchDir dir;
  write_uniform_csv(dir / "data.csv", 2000, 32, 13);
  const std::vector<std::string> args = train_args("model.aek");
  const int status = interrupt_after_first_epoch(dir, args, SIGTERM);
  ASSERT_TRUE(WIFEXITED(status)) << slurp(dir / ".stderr");
  EXPECT_EQ(WEXITSTATUS(status), 128 + SIGTERM) << slurp(dir / ".stderr");
  ASSERT_TRUE(fs::exists(dir / "model.aek.ckpt"));

  std::vector<std::string> other = with_resume(args, "model.aek.ckpt");
  other[static_cast<size_t>(std::find(other.begin(), other.end(), "--lr") - other.begin()) + 1] = "0.01";
  ASSERT_EQ(wait_for(spawn_aekit(dir, other)), 2 << 8);
  const std::string err = slurp(dir / ".stderr");
  EXPECT_EQ(count_lines(err), 1) << err;
  EXPECT_NE(err.find("model.aek.ckpt: the checkpoint was written with other options (--lr was '0.003' and is now "
                     "'0.01')"),
            std::string::npos)
      << err;

  // Other data under the same name: the stored size and CRC-32 tell.
  write_uniform_csv(dir / "data.csv", 2000, 32, 14);
  ASSERT_EQ(wait_for(spawn_aekit(dir, with_resume(args, "model.aek.ckpt"))), 2 << 8);
  EXPECT_NE(slurp(dir / ".stderr").find("was written for other training data"), std::string::npos)
      << slurp(dir / ".stderr");

  const CommandResult missing = run_aekit(dir, "train --data data.csv --arch 32-8 --resume missing.ckpt --out m.aek");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("missing.ckpt: the checkpoint to resume from does not exist"), std::string::npos)
      << missing.err;
  EXPECT_EQ(missing.err.find("model file"), std::string::npos) << missing.err;
  const CommandResult typo = run_aekit(dir, "train --data data.csv --checkpoint-every 5x --out m.aek");
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_NE(typo.err.find("--checkpoint-every: '5x'"), std::string::npos) << typo.err;
  // The interrupted run's checkpoint is still there after the refused attempts.
  EXPECT_TRUE(fs::exists(dir / "model.aek.ckpt"));
}

TEST(CliCheckpoint, AResumedRunDoesNotPretrainAgain) {
  // The checkpoint holds the weights that pretraining and the first epochs made: pretraining again
  // would cost its minutes only to be overwritten. The resumed model is still the reference's.
  ScratchDir dir;
  write_uniform_csv(dir / "data.csv", 2000, 32, 15);
  auto args = [](const std::string& out) {
    std::vector<std::string> a = train_args(out);
    a.erase(a.end() - 4, a.end() - 2);  // no --checkpoint-every: Ctrl-C alone writes one
    a.insert(a.end(), {"--pretrain", "ae", "--pretrain-epochs", "2"});
    return a;
  };
  ASSERT_EQ(wait_for(spawn_aekit(dir, args("reference.aek"))), 0) << slurp(dir / ".stderr");
  ASSERT_NE(slurp(dir / ".stderr").find("pretrained layer 1"), std::string::npos) << slurp(dir / ".stderr");
  const int status = interrupt_after_first_epoch(dir, args("model.aek"), SIGINT);
  ASSERT_TRUE(WIFEXITED(status)) << slurp(dir / ".stderr");
  ASSERT_EQ(WEXITSTATUS(status), 130) << slurp(dir / ".stderr");
  ASSERT_EQ(wait_for(spawn_aekit(dir, with_resume(args("model.aek"), "model.aek.ckpt"))), 0) << slurp(dir / ".stderr");
  const std::string err = slurp(dir / ".stderr");
  EXPECT_EQ(err.find("pretrained layer"), std::string::npos) << err;
  EXPECT_NE(err.find("pretraining skipped: resuming from model.aek.ckpt"), std::string::npos) << err;
  expect_same_tensors(dir / "reference.aek", dir / "model.aek");
}

}  // namespace
}  // namespace aekit::test
