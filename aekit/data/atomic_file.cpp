#include <aekit/data/atomic_file.h>

#include <aekit/core/error.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
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

// Creates `path.tmp-XXXXXX` with O_EXCL, so two writers never share a temporary file. Mode 0666
// lets the umask decide the final permissions as a plain ofstream would (mkstemp forces 0600).
TempFile create_temp_beside(const std::string& path) {
  static constexpr char kChars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::random_device entropy;
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string name = path + ".tmp-";
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

void write_file_atomically(const std::string& path, const std::function<void(std::ostream&)>& write) {
  TempFile temp = create_temp_beside(path);
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
    throw;
  }
  ::close(temp.fd);
  sync_directory_of(path);
}

}  // namespace aekit
