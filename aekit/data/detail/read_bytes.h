#pragma once
// Byte-level reading shared by the dataset readers. Headers of data files state sizes we must not
// trust: reads grow their buffer only as data actually arrives, so a header claiming 2^40 elements
// ends in a "truncated" error instead of a terabyte allocation.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

namespace aekit::data_detail {

// Reads into `dst` at most `n` bytes; returns how many (0 at the end). Throws on a read error.
using ReadSome = std::function<size_t(unsigned char* dst, size_t n)>;

// Reads up to `count` bytes; the result is shorter only when the source ended early.
std::vector<unsigned char> read_at_most(uint64_t count, const ReadSome& read_some);

// True when the source has at least one more byte (used to reject trailing garbage).
bool has_more(const ReadSome& read_some);

// A ReadSome over a stream; read errors throw InputError naming `name`.
ReadSome stream_reader(std::istream& in, const std::string& name);

// The bytes from the stream's position to the end of the file (a seekable file), position unchanged.
uint64_t bytes_left(std::istream& in, const std::string& name);

// Opens `path` for binary reading, or throws "path: cannot open: <reason>".
std::ifstream open_input(const std::string& path);

// The whole file as text (for line-based formats, where the file size is the real size).
std::string read_text_file(const std::string& path);

}  // namespace aekit::data_detail
