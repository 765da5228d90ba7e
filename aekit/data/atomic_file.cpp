#include <aekit/data/atomic_file.h>

#include <aekit/core/error.h>

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

namespace aekit {

namespace {

// An open, newly created temporary file; the descriptor is kept for fsync.
struct TempFile {
  std::string name;
  int fd = -1;
};

std::string temp_prefix(const std::string& path) { return path + ".tmp-"; }

// The temporary file being written, for remove_file_being_written() in a signal handler: a fixed
// buffer (a handler may not touch std::string) published by the flag.
char g_writing[4096];
std::atomic<bool> g_writing_set{false};
static_assert(std::atomic<bool>::is_always_lock_free, "read from a signal handler");

void publish_temp(const std::string& name) {
  if (name.size() >= sizeof g_writing) return;  // too long to keep: the next save removes it
  std::memcpy(g_writing, name.c_str(), name.size() + 1);
  g_writing_set.store(true);
}

// A process killed during a save (kill -9, power loss) leaves its temporary file behind. The
// writer's pid is in the name, so the next save of the same path removes the files of writers
// that no longer run, and never those of a writer still at work.
void remove_stale_temps(const std::string& path) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  const std::string prefix = target.filename().string() + ".tmp-";
  std::error_code ec;
  fs::path dir = target.parent_path();
  if (dir.empty()) dir = ".";
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string rest = name.substr(prefix.size());  // "<pid>-XXXXXX"
    const size_t dash = rest.find('-');
    if (dash == std::string::npos || dash == 0 || rest.size() != dash + 7) continue;
    pid_t pid = 0;
    auto [end_ptr, err] = std::from_chars(rest.data(), rest.data() + dash, pid);
    if (err != std::errc() || end_ptr != rest.data() + dash || pid <= 0) continue;
    if (::kill(pid, 0) == 0 || errno != ESRCH) continue;  // alive, or not ours to judge
    std::error_code ignored;
    fs::remove(it->path(), ignored);
  }
}

// Creates `path.tmp-<pid>-XXXXXX` with O_EXCL, so two writers never share a temporary file. Mode
// 0666 lets the umask decide the final permissions as a plain ofstream would (mkstemp forces 0600).
TempFile create_temp_beside(const std::string& path) {
  static constexpr char kChars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::random_device entropy;
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string name = temp_prefix(path) + std::to_string(::getpid()) + "-";
    for (int i = 0; i < 6; ++i) name += kChars[entropy() % (sizeof(kChars) - 1)];
    int fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) return {name, fd};
    if (errno != EEXIST) fail(path, ": cannot create a temporary file beside it: ", std::strerror(errno));
  }
  fail(path, ": cannot create a temporary file beside it: too many name collisions");
}

// Persists the directory entry of the rename. Some filesystems refuse fsync on a directory; the
// file itself is complete by then, so that is not worth failing the write for.
void sync_directory_of(const std::string& path) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

void remove_stale_temporary_files(const std::string& path) { remove_stale_temps(path); }

void remove_file_being_written() {
  if (g_writing_set.load()) ::unlink(g_writing);  // after the rename it is gone already: ENOENT
}

void write_file_atomically(const std::string& path, const std::function<void(std::ostream&)>& write) {
  remove_stale_temps(path);
  TempFile temp = create_temp_beside(path);
  publish_temp(temp.name);
  try {
    {
      std::ofstream out(temp.name, std::ios::binary | std::ios::trunc);
      if (!out) fail(path, ": cannot open temporary file ", temp.name, ": ", std::strerror(errno));
      write(out);
      out.flush();
      if (!out) fail(path, ": write failed: ", std::strerror(errno));
    }
    // fsync through the descriptor we created: it flushes the file however it was written.
    if (::fsync(temp.fd) != 0) fail(path, ": fsync failed: ", std::strerror(errno));
    if (std::rename(temp.name.c_str(), path.c_str()) != 0)
      fail(path, ": cannot move the temporary file into place: ", std::strerror(errno));
  } catch (...) {
    ::close(temp.fd);
    std::remove(temp.name.c_str());
    g_writing_set.store(false);
    throw;
  }
  g_writing_set.store(false);
  ::close(temp.fd);
  sync_directory_of(path);
}

}  // namespace aekit
