// The progress bar on a real terminal (a pseudo-terminal of a chosen width): every redrawn line
// fits the width, so a redraw never wraps and leaves a line behind (issue 9, point 6).
#include "cli_runner.h"

#include <gtest/gtest.h>

#include <pty.h>
#include <sys/ioctl.h>

namespace aekit::test {
namespace {

// Runs `aekit args` in `dir` on a terminal `columns` wide; returns everything it wrote there.
std::string run_on_terminal(const ScratchDir& dir, std::vector<std::string> args, unsigned short columns) {
  winsize size{};
  size.ws_row = 24;
  size.ws_col = columns;
  int master = -1;
  const pid_t pid = forkpty(&master, nullptr, nullptr, &size);
  if (pid == 0) {
    args.insert(args.begin(), AEKIT_CLI_PATH);
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (chdir(dir.path().c_str()) == 0) execv(AEKIT_CLI_PATH, argv.data());
    _exit(127);
  }
  EXPECT_GT(pid, 0);
  std::string output;
  char block[4096];
  for (ssize_t got; (got = read(master, block, sizeof block)) > 0;) output.append(block, static_cast<size_t>(got));
  close(master);  // read() fails with EIO once the child has closed the terminal
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << output;
  return output;
}

// The lines the bar drew: each redraw is "\r\033[K" then the line; the epoch summaries (which end
// in a newline and may wrap like any long line) carry "  lr ".
std::vector<std::string> bar_lines(const std::string& output) {
  std::vector<std::string> lines;
  const std::string redraw = "\r\033[K";
  for (size_t at = output.find(redraw); at != std::string::npos; at = output.find(redraw, at + 1)) {
    const size_t begin = at + redraw.size();
    const size_t end = output.find_first_of("\r\n", begin);
    const std::string line = output.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
    if (!line.empty() && line.find("  lr ") == std::string::npos) lines.push_back(line);
  }
  return lines;
}

TEST(CliProgress, TheBarFitsTheTerminalWidth) {
  ScratchDir dir;
  write_uniform_csv(dir / "data.csv", 3000, 16, 4);
  const std::vector<std::string> args{"train", "--data",    "data.csv", "--arch", "16-8", "--epochs",
                                      "2",     "--threads", "1",        "--out",  "m.aek"};
  for (unsigned short columns : {40, 60, 80, 200}) {
    SCOPED_TRACE(columns);
    const std::vector<std::string> lines = bar_lines(run_on_terminal(dir, args, columns));
    ASSERT_FALSE(lines.empty()) << "no progress bar was drawn on a terminal";
    for (const std::string& line : lines) {
      EXPECT_LT(line.size(), columns) << "a redrawn line reaches the last column and wraps: '" << line << "'";
      EXPECT_EQ(line.rfind("epoch ", 0), 0u) << line;
    }
    const std::string& last = lines.back();
    if (columns >= 80) {  // room for everything
      EXPECT_NE(last.find("[##"), std::string::npos) << last;
      EXPECT_NE(last.find("loss "), std::string::npos) << last;
      EXPECT_NE(last.find("ETA "), std::string::npos) << last;
      EXPECT_NE(last.find("samples/s"), std::string::npos) << last;
    }
  }
}

}  // namespace
}  // namespace aekit::test
