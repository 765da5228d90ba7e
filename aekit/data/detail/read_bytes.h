#pragma once
// Byte-level reading shared by the dataset readers. Headers of data files state sizes we must not
// trust: reads grow their buffer only as data actually arrives, so a header claiming 2^40 elements
// ends in a "truncated" error instead of a terabyte allocation.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <functional>
#include <optional>
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

// The bytes from the stream's position to its end, position unchanged; nullopt for a stream that
// cannot seek (a pipe), whose size is not known in advance.
std::optional<uint64_t> bytes_left(std::istream& in);

// Reads `n` elements of `element_bytes` each from `in`, a block of about 1 MiB at a time, and hands
// each block to use(bytes, first element, element count): data is converted into its destination
// without a second full-size copy. Returns the elements read: fewer than n when the stream ended
// early (a file that shrank while being read). Read errors throw InputError naming `name`.
int64_t read_in_blocks(std::istream& in, const std::string& name, int element_bytes, int64_t n,
                       const std::function<void(const unsigned char*, int64_t, int64_t)>& use);

// Writes to every page of a freshly allocated array, on all threads. The kernel zeroes a fresh page
// in the thread that first writes to it, and on this VM that is most of the time of reading MNIST
// (0.33 s of CPU for the training set's 188 MB of floats); readers touch the pages this way before
// filling them in file order.
void touch_pages_in_parallel(float* data, int64_t n);

// Opens `path` for binary reading, or throws "path: cannot open: <reason>".
std::ifstream open_input(const std::string& path);

// The whole file as text (for line-based formats, where the file size is the real size).
std::string read_text_file(const std::string& path);

}  // namespace aekit::data_detail
