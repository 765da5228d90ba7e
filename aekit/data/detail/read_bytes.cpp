#include <aekit/data/detail/read_bytes.h>

#include <aekit/core/error.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace aekit::data_detail {

namespace {
// First read size; later reads double the buffer, so the allocation is at most twice the bytes
// that really arrived, and a real 47 MB MNIST file takes two reads.
constexpr uint64_t kFirstChunk = uint64_t{32} << 20;
}  // namespace

std::vector<unsigned char> read_at_most(uint64_t count, const ReadSome& read_some) {
  std::vector<unsigned char> bytes;
  uint64_t filled = 0;
  while (filled < count) {
    if (filled == bytes.size()) {
      uint64_t grown = std::max<uint64_t>(kFirstChunk, 2 * bytes.size());
      bytes.resize(static_cast<size_t>(std::min(count, grown)));
    }
    size_t got = read_some(bytes.data() + filled, static_cast<size_t>(bytes.size() - filled));
    if (got == 0) break;
    filled += got;
  }
  bytes.resize(static_cast<size_t>(filled));
  return bytes;
}

bool has_more(const ReadSome& read_some) {
  unsigned char byte;
  return read_some(&byte, 1) == 1;
}

ReadSome stream_reader(std::istream& in, const std::string& name) {
  return [&in, name](unsigned char* dst, size_t n) -> size_t {
    in.read(reinterpret_cast<char*>(dst), static_cast<std::streamsize>(n));
    if (in.bad()) fail(name, ": read error: ", std::strerror(errno));
    return static_cast<size_t>(in.gcount());
  };
}

uint64_t bytes_left(std::istream& in, const std::string& name) {
  const std::streamoff here = in.tellg();
  in.seekg(0, std::ios::end);
  const std::streamoff end = in.tellg();
  in.seekg(here);
  if (here < 0 || end < here || !in) fail(name, ": cannot determine the file size");
  return static_cast<uint64_t>(end - here);
}

std::ifstream open_input(const std::string& path) {
  // Opening a directory succeeds on Linux and only the first read fails; say so up front.
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) fail(path, ": cannot open: Is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, ": cannot open: ", std::strerror(errno));
  return in;
}

std::string read_text_file(const std::string& path) {
  std::ifstream in = open_input(path);
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  in.seekg(0, std::ios::beg);
  if (size < 0) fail(path, ": cannot determine the file size");
  std::string text(static_cast<size_t>(size), '\0');
  in.read(text.data(), size);
  if (in.gcount() != size) fail(path, ": read error: file changed while reading");
  return text;
}

}  // namespace aekit::data_detail
