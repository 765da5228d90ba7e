#include <aekit/data/detail/read_bytes.h>

#include <aekit/core/error.h>
#include <aekit/data/standard_input.h>

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

std::optional<uint64_t> bytes_left(std::istream& in) {
  const std::streamoff here = in.tellg();
  if (here < 0) {
    in.clear();
    return std::nullopt;
  }
  in.seekg(0, std::ios::end);
  const std::streamoff end = in.tellg();
  in.clear();
  in.seekg(here);
  if (end < here || !in) return std::nullopt;
  return static_cast<uint64_t>(end - here);
}

int64_t read_in_blocks(std::istream& in, const std::string& name, int element_bytes, int64_t n,
                       const std::function<void(const unsigned char*, int64_t, int64_t)>& use) {
  constexpr int64_t kBlockBytes = int64_t{1} << 20;
  const int64_t per_block = std::max<int64_t>(1, kBlockBytes / element_bytes);
  std::vector<unsigned char> block(static_cast<size_t>(std::min(n, per_block) * element_bytes));
  for (int64_t done = 0; done < n;) {
    const int64_t count = std::min(per_block, n - done);
    const std::streamsize want = static_cast<std::streamsize>(count * element_bytes);
    in.read(reinterpret_cast<char*>(block.data()), want);
    if (in.bad()) fail(name, ": read error: ", std::strerror(errno));
    const int64_t got = static_cast<int64_t>(in.gcount()) / element_bytes;
    if (got > 0) use(block.data(), done, got);
    done += got;
    if (in.gcount() != want) return done;
  }
  return n;
}

void touch_pages_in_parallel(float* data, int64_t n) {
  constexpr int64_t kPage = 4096 / sizeof(float);
#pragma omp parallel for schedule(static) if (n >= (int64_t{8} << 20))
  for (int64_t i = 0; i < n; i += kPage) data[i] = 0.0f;
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
  if (is_standard_stream(path)) return standard_input_bytes();
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
