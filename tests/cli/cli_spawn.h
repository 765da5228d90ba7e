#pragma once
// Starts aekit without waiting for it, for the tests that signal a running command or feed its
// standard input through a pipe: stdout and stderr go to dir/.stdout and dir/.stderr.
#include "cli_runner.h"

#include <fcntl.h>
#include <spawn.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

extern char** environ;

namespace aekit::test {

// Starts aekit with `args` in `dir`, its standard input `stdin_fd` (or /dev/null when it is -1);
// `close_in_child`, if not -1, is closed in the child (the other end of a pipe). Returns its pid.
inline pid_t spawn_aekit(const ScratchDir& dir, std::vector<std::string> args, int stdin_fd = -1,
                         int close_in_child = -1) {
  args.insert(args.begin(), AEKIT_CLI_PATH);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  if (stdin_fd >= 0) posix_spawn_file_actions_adddup2(&files, stdin_fd, 0);
  else posix_spawn_file_actions_addopen(&files, 0, "/dev/null", O_RDONLY, 0);
  if (close_in_child >= 0) posix_spawn_file_actions_addclose(&files, close_in_child);
  posix_spawn_file_actions_addopen(&files, 1, (dir / ".stdout").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&files, 2, (dir / ".stderr").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addchdir_np(&files, dir.path().c_str());
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, AEKIT_CLI_PATH, &files, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&files);
  EXPECT_EQ(rc, 0) << std::strerror(rc);
  return pid;
}

// spawn_aekit with standard input the read end of a pipe whose write end the caller gets in
// `stdin_writer` (and must close).
inline pid_t spawn_reading_a_pipe(const ScratchDir& dir, std::vector<std::string> args, int& stdin_writer) {
  int fds[2];
  EXPECT_EQ(pipe(fds), 0);
  const pid_t pid = spawn_aekit(dir, std::move(args), fds[0], fds[1]);
  close(fds[0]);
  stdin_writer = fds[1];
  return pid;
}

}  // namespace aekit::test
