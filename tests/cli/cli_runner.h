#pragma once
// Runs the built aekit command in a scratch directory and captures exit code, stdout, stderr.
#include <aekit/core/rng.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace aekit::test {

struct CommandResult {
  int exit_code;
  std::string out, err;
};

class ScratchDir {
 public:
  ScratchDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "aekit-test-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }
  const std::filesystem::path& path() const { return path_; }
  // Every file in the directory, to prove a failed command wrote nothing (no temp files either).
  std::vector<std::string> listing() const {
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(path_)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }

 private:
  std::filesystem::path path_;
};

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// `args` is appended to the aekit binary path as shell words; quote paths with spaces yourself.
// Standard input is `stdin_path` (relative to `dir`).
inline CommandResult run_aekit(const ScratchDir& dir, const std::string& args,
                               const std::string& stdin_path = "/dev/null") {
  const std::string out = dir / ".stdout", err = dir / ".stderr";
  const std::string cmd = "cd '" + dir.path().string() + "' && '" + AEKIT_CLI_PATH + "' " + args + " > '" + out +
                          "' 2> '" + err + "' < '" + stdin_path + "'";
  const int status = std::system(cmd.c_str());
  CommandResult r{WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), slurp(out), slurp(err)};
  std::filesystem::remove(out);
  std::filesystem::remove(err);
  return r;
}

// rows x cols values uniform in [0, 1) from Rng(seed), as a CSV without a header.
inline void write_uniform_csv(const std::string& path, int rows, int cols, uint64_t seed) {
  Rng rng(seed);
  std::ostringstream csv;
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) csv << (c ? "," : "") << rng.uniform();
    csv << "\n";
  }
  write_text(path, csv.str());
}

inline int count_lines(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

}  // namespace aekit::test
