#include <aekit/data/detail/gzip_reader.h>

#include <aekit/core/error.h>

#include <cstring>

namespace aekit::data_detail {

namespace {
constexpr size_t kInputChunk = size_t{1} << 20;
constexpr int kGzipWindow = 15 + 16;  // 32K window, gzip wrapper only
}  // namespace

bool is_gzip_file(const std::string& path) {
  std::ifstream in = open_input(path);
  unsigned char magic[2] = {0, 0};
  in.read(reinterpret_cast<char*>(magic), 2);
  return in.gcount() == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
}

GzipReader::GzipReader(const std::string& path) : path_(path), file_(open_input(path)), input_(kInputChunk) {
  if (inflateInit2(&z_, kGzipWindow) != Z_OK) fail(path_, ": cannot start gzip decompression");
}

GzipReader::~GzipReader() { inflateEnd(&z_); }

bool GzipReader::refill() {
  file_.read(reinterpret_cast<char*>(input_.data()), static_cast<std::streamsize>(input_.size()));
  if (file_.bad()) fail(path_, ": read error: ", std::strerror(errno));
  z_.next_in = input_.data();
  z_.avail_in = static_cast<uInt>(file_.gcount());
  return z_.avail_in > 0;
}

size_t GzipReader::read_some(unsigned char* dst, size_t n) {
  if (done_ || n == 0) return 0;
  z_.next_out = dst;
  z_.avail_out = static_cast<uInt>(std::min<size_t>(n, 1u << 30));
  const uInt wanted = z_.avail_out;
  while (z_.avail_out == wanted) {
    if (z_.avail_in == 0 && !refill()) {
      // The file ended: fine between members, a truncation inside one.
      truncated_ = in_member_;
      done_ = true;
      break;
    }
    if (!in_member_) {
      // Another member must start with the magic; anything else is trailing garbage.
      if (z_.next_in[0] != 0x1f || (z_.avail_in > 1 && z_.next_in[1] != 0x8b))
        fail(path_, ": trailing garbage: bytes after the last gzip member");
      in_member_ = true;
    }
    const int rc = inflate(&z_, Z_NO_FLUSH);
    if (rc == Z_STREAM_END) {
      in_member_ = false;
      inflateReset(&z_);
    } else if (rc == Z_BUF_ERROR && z_.avail_in == 0) {
      continue;  // needs more input
    } else if (rc != Z_OK) {
      fail(path_, ": corrupt gzip data: ", z_.msg ? z_.msg : "inflate failed");
    }
  }
  return wanted - z_.avail_out;
}

void GzipReader::check_complete() const {
  if (truncated_) fail(path_, ": corrupt gzip data: unexpected end of file (is the .gz file truncated?)");
}

uint64_t GzipReader::skip(uint64_t limit) {
  std::vector<unsigned char> sink(kInputChunk);
  uint64_t total = 0;
  while (total < limit) {
    const size_t got = read_some(sink.data(), static_cast<size_t>(std::min<uint64_t>(sink.size(), limit - total)));
    if (got == 0) break;
    total += got;
  }
  return total;
}

void GzipReader::rewind() {
  file_.clear();
  file_.seekg(0);
  inflateReset(&z_);
  z_.avail_in = 0;
  in_member_ = false;
  done_ = false;
  truncated_ = false;
}

}  // namespace aekit::data_detail
