#pragma once
// A gzip file read as its decompressed bytes, stricter than zlib's gzread: gzread silently ignores
// bytes after the last gzip member, while a raw file with trailing bytes is rejected; here both are.
// Members are concatenated as `gzip -d` does. Errors are InputErrors naming the file.
#include <aekit/data/detail/read_bytes.h>

#include <zlib.h>

#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace aekit::data_detail {

// True when `path` starts with the gzip magic 1f 8b.
bool is_gzip_file(const std::string& path);

class GzipReader {
 public:
  explicit GzipReader(const std::string& path);
  ~GzipReader();
  GzipReader(const GzipReader&) = delete;
  GzipReader& operator=(const GzipReader&) = delete;

  // Decompresses up to `n` bytes into `dst`; 0 at the end of the data. Throws on corrupt data and
  // on bytes after the last member that do not start another member. A file cut short inside a
  // member ends the data early (so the caller can say how much it got); check_complete() then throws.
  void check_complete() const;
  size_t read_some(unsigned char* dst, size_t n);
  ReadSome reader() {
    return [this](unsigned char* dst, size_t n) { return read_some(dst, n); };
  }
  // Decompresses and discards up to `limit` more bytes; returns how many there were. Lets a reader
  // prove that a stream really holds the size its header promises before allocating for it, in
  // constant memory (a gzip bomb costs time, not memory).
  uint64_t skip(uint64_t limit);
  // Moves back to the start of the decompressed data.
  void rewind();

 private:
  bool refill();  // false at the end of the file

  std::string path_;
  std::ifstream file_;
  z_stream z_{};
  bool in_member_ = false;
  bool done_ = false;
  bool truncated_ = false;
  std::vector<unsigned char> input_;
};

}  // namespace aekit::data_detail
