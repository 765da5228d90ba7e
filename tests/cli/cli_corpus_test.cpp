// The malformed-input corpus: tests/corpus/make_corpus.py writes 100+ damaged npy, IDX (raw and
// gzip), CSV and model files at test time. Each must give its own one-line message, exit code 2 and
// no output file, using under a second of CPU and under 100 MB of memory (both measured from the
// child's rusage). The valid-* controls must succeed, so the damage alone is what fails.
#include "cli_runner.h"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

namespace aekit::test {
namespace {

struct Measured {
  int exit_code = -1;
  std::string err;
  double cpu_seconds = 0;
  long max_rss_kb = 0;
};

// Runs aekit with `args` in `dir`, stderr captured, and measures the child alone (wait4).
Measured run_measured(const ScratchDir& dir, const std::vector<std::string>& args) {
  const std::string err_path = dir / ".stderr";
  const pid_t pid = fork();
  if (pid == 0) {
    if (chdir(dir.path().c_str()) != 0) _exit(127);
    const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int null = open("/dev/null", O_RDWR);
    dup2(null, 0);
    dup2(null, 1);
    dup2(err, 2);
    std::vector<char*> argv{const_cast<char*>(AEKIT_CLI_PATH)};
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(AEKIT_CLI_PATH, argv.data());
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  Measured m;
  m.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  m.err = slurp(err_path);
  std::filesystem::remove(err_path);
  m.cpu_seconds = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                  static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6;
  m.max_rss_kb = usage.ru_maxrss;
  return m;
}

struct CorpusCase {
  std::string file, verb, expected;
};

std::vector<CorpusCase> read_manifest(const std::string& path) {
  std::vector<CorpusCase> cases;
  std::istringstream in(slurp(path));
  std::string line;
  while (std::getline(in, line)) {
    const size_t a = line.find('\t'), b = line.find('\t', a + 1);
    cases.push_back({line.substr(0, a), line.substr(a + 1, b - a - 1), line.substr(b + 1)});
  }
  return cases;
}

TEST(MalformedCorpus, EveryFileFailsCleanlyAndCheaply) {
  ScratchDir dir;
  const std::string script = std::string(AEKIT_SOURCE_DIR) + "/tests/corpus/make_corpus.py";
  ASSERT_EQ(std::system((std::string(AEKIT_PYTHON) + " '" + script + "' '" + dir.path().string() + "' > /dev/null").c_str()), 0);
  const std::vector<CorpusCase> cases = read_manifest(dir / "manifest.tsv");
  ASSERT_GE(cases.size(), 100u);

  int damaged = 0;
  double worst_cpu = 0;
  long worst_rss = 0;
  for (const CorpusCase& c : cases) {
    // Data files go through training (the first thing read), rating files through a recommender's
    // training with a declared range, models through reconstruct.
    const std::vector<std::string> args =
        c.verb == "data"      ? std::vector<std::string>{"train", "--data", c.file, "--epochs", "1", "--out", "out.aek"}
        : c.verb == "ratings" ? std::vector<std::string>{"train", "--ratings", c.file, "--rating-range", "1:5", "--arch",
                                                         "8", "--epochs", "1", "--out", "out.aek"}
                              : std::vector<std::string>{"reconstruct", c.file, "--data", "valid.csv", "--out", "out.npy"};
    const Measured m = run_measured(dir, args);
    const std::string output = c.verb == "model" ? "out.npy" : "out.aek";
    const bool valid = c.file.rfind("valid", 0) == 0;
    if (valid) {
      EXPECT_EQ(m.exit_code, 0) << c.file << " (a control) failed: " << m.err;
      EXPECT_TRUE(std::filesystem::exists(dir / output)) << c.file;
      std::filesystem::remove(dir / output);
      continue;
    }
    ++damaged;
    EXPECT_EQ(m.exit_code, 2) << c.file << ": " << m.err;
    EXPECT_EQ(count_lines(m.err), 1) << c.file << ": " << m.err;
    EXPECT_NE(m.err.find(c.expected), std::string::npos) << c.file << ": expected '" << c.expected << "' in: " << m.err;
    EXPECT_NE(m.err.find(c.file), std::string::npos) << c.file << ": the message does not name the file: " << m.err;
    EXPECT_FALSE(std::filesystem::exists(dir / output)) << c.file << " left an output file";
    EXPECT_LT(m.cpu_seconds, 1.0) << c.file;
    EXPECT_LT(m.max_rss_kb, 100 * 1024) << c.file << ": peak memory in kB";
    worst_cpu = std::max(worst_cpu, m.cpu_seconds);
    worst_rss = std::max(worst_rss, m.max_rss_kb);
  }
  EXPECT_GE(damaged, 80);
  std::printf("corpus: %d damaged files, worst CPU %.3f s, worst peak memory %.1f MB\n", damaged, worst_cpu,
              static_cast<double>(worst_rss) / 1024.0);
  // No temporary files anywhere.
  for (const std::string& name : dir.listing()) EXPECT_EQ(name.find(".tmp-"), std::string::npos) << name;
}

}  // namespace
}  // namespace aekit::test
