#include <aekit/data/npy.h>

#include <aekit/core/checked_size.h>
#include <aekit/core/error.h>
#include <aekit/data/atomic_file.h>
#include <aekit/data/detail/npy_header.h>
#include <aekit/data/detail/read_bytes.h>
#include <aekit/data/validate.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <vector>

namespace aekit {

namespace {

static_assert(std::endian::native == std::endian::little,
              "the .npy reader and writer assume a little-endian machine");

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicSize = 6;
// numpy itself writes headers of a few hundred bytes; anything past this is a damaged length field.
constexpr uint32_t kMaxHeaderBytes = 1 << 20;

struct DtypeInfo {
  NpyDtype dtype;
  const char* descr;
  int bytes;
};
constexpr DtypeInfo kDtypes[] = {
    {NpyDtype::Float32, "<f4", 4}, {NpyDtype::Float64, "<f8", 8}, {NpyDtype::UInt8, "|u1", 1},
    {NpyDtype::Int32, "<i4", 4},   {NpyDtype::Int64, "<i8", 8}};

const DtypeInfo& info(NpyDtype dtype) {
  for (const DtypeInfo& d : kDtypes)
    if (d.dtype == dtype) return d;
  AEKIT_ASSERT(false, "unknown NpyDtype ", static_cast<int>(dtype));
}

const DtypeInfo& parse_descr(const std::string& descr, const std::string& name) {
  // A single byte has no byte order: numpy writes '|u1', but '<u1' and '=u1' mean the same.
  std::string canonical = descr;
  if (canonical == "<u1" || canonical == "=u1") canonical = "|u1";
  for (const DtypeInfo& d : kDtypes)
    if (canonical == d.descr) return d;
  fail(name, ": unsupported .npy dtype '", descr,
       "' (supported: '<f4' float32, '<f8' float64, '|u1' uint8, '<i4' int32, '<i8' int64)");
}

// No real array comes near 2^48 elements; the cap keeps every byte count far from overflow.
uint64_t element_count(const Shape& shape, const std::string& name) {
  constexpr uint64_t kMaxElements = uint64_t{1} << 48;
  const std::optional<uint64_t> count = checked_product(shape, kMaxElements);
  if (!count) fail(name, ": implausible .npy shape ", shape_string(shape), " (more than 2^48 elements)");
  return *count;
}

template <typename Int>
void convert_integers(const unsigned char* src, float* dst, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    Int v;
    std::memcpy(&v, src + sizeof(Int) * static_cast<size_t>(i), sizeof(Int));
    dst[i] = static_cast<float>(v);
  }
}

// The integer nearest to v within Int's range; NaN becomes 0.
template <typename Int>
Int to_integer(float v) {
  if (!(v == v)) return 0;
  const double limit_low = static_cast<double>(std::numeric_limits<Int>::min());
  const double limit_high = static_cast<double>(std::numeric_limits<Int>::max());
  const double rounded = std::nearbyint(static_cast<double>(v));
  if (rounded <= limit_low) return std::numeric_limits<Int>::min();
  if (rounded >= limit_high) return std::numeric_limits<Int>::max();
  return static_cast<Int>(rounded);
}

template <typename Int>
void encode_integers(const float* src, int64_t n, unsigned char* out) {
  for (int64_t i = 0; i < n; ++i) {
    const Int v = to_integer<Int>(src[i]);
    std::memcpy(out + sizeof(Int) * static_cast<size_t>(i), &v, sizeof(Int));
  }
}

void convert(const unsigned char* src, NpyDtype dtype, float* dst, int64_t n) {
  if (n == 0) return;  // an empty tensor has no buffer to copy into
  switch (dtype) {
    case NpyDtype::Float32:
      std::memcpy(dst, src, static_cast<size_t>(n) * 4);
      break;
    case NpyDtype::Float64:
      for (int64_t i = 0; i < n; ++i) {
        double v;
        std::memcpy(&v, src + 8 * i, 8);
        dst[i] = static_cast<float>(v);
      }
      break;
    case NpyDtype::UInt8:
      for (int64_t i = 0; i < n; ++i) dst[i] = static_cast<float>(src[i]);
      break;
    // Integer tables (counts, codes, pandas' default int64): exact up to 2^24, rounded beyond.
    case NpyDtype::Int32:
      convert_integers<int32_t>(src, dst, n);
      break;
    case NpyDtype::Int64:
      convert_integers<int64_t>(src, dst, n);
      break;
  }
}

uint8_t to_uint8(float v) {
  // Written so that NaN fails both comparisons and lands on 0.
  if (!(v > 0.0f)) return 0;
  if (v >= 255.0f) return 255;
  return static_cast<uint8_t>(v + 0.5f);
}

// Converts `n` floats to `dtype` bytes appended to `out`.
void encode(const float* src, int64_t n, NpyDtype dtype, std::vector<unsigned char>& out) {
  out.resize(static_cast<size_t>(n) * static_cast<size_t>(info(dtype).bytes));
  switch (dtype) {
    case NpyDtype::Float32:
      std::memcpy(out.data(), src, static_cast<size_t>(n) * 4);
      break;
    case NpyDtype::Float64:
      for (int64_t i = 0; i < n; ++i) {
        double v = src[i];
        std::memcpy(out.data() + 8 * i, &v, 8);
      }
      break;
    case NpyDtype::UInt8:
      for (int64_t i = 0; i < n; ++i) out[static_cast<size_t>(i)] = to_uint8(src[i]);
      break;
    case NpyDtype::Int32:
      encode_integers<int32_t>(src, n, out.data());
      break;
    case NpyDtype::Int64:
      encode_integers<int64_t>(src, n, out.data());
      break;
  }
}

uint32_t little_endian(const unsigned char* p, int bytes) {
  uint32_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = v << 8 | p[i];
  return v;
}

}  // namespace

Tensor read_npy(std::istream& in, const std::string& name) { return std::move(read_npy_values(in, name, false).floats); }

DataValues read_npy_values(std::istream& in, const std::string& name, bool keep_bytes) {
  data_detail::ReadSome read_some = data_detail::stream_reader(in, name);
  std::vector<unsigned char> preamble = data_detail::read_at_most(kMagicSize + 2, read_some);
  if (preamble.size() < kMagicSize + 2 || std::memcmp(preamble.data(), kMagic, kMagicSize) != 0)
    fail(name, ": not a .npy file (it does not start with \\x93NUMPY)");
  const int major = preamble[kMagicSize];
  if (major < 1 || major > 3)
    fail(name, ": unsupported .npy format version ", major, ".", int{preamble[kMagicSize + 1]},
         " (supported: 1.0, 2.0, 3.0)");

  // Version 1 stores the header length in 2 bytes, versions 2 and 3 in 4.
  const int length_bytes = major == 1 ? 2 : 4;
  std::vector<unsigned char> length = data_detail::read_at_most(length_bytes, read_some);
  if (length.size() < static_cast<size_t>(length_bytes)) fail(name, ": truncated .npy header");
  const uint32_t header_bytes = little_endian(length.data(), length_bytes);
  if (header_bytes > kMaxHeaderBytes)
    fail(name, ": implausible .npy header length ", header_bytes, " bytes");
  std::vector<unsigned char> text = data_detail::read_at_most(header_bytes, read_some);
  if (text.size() < header_bytes) fail(name, ": truncated .npy header");
  data_detail::NpyHeader header = data_detail::parse_npy_header(
      std::string_view(reinterpret_cast<const char*>(text.data()), text.size()), name);

  if (header.fortran_order)
    fail(name, ": Fortran-order arrays are not supported (save with numpy.ascontiguousarray)");
  const DtypeInfo& dtype = parse_descr(header.descr, name);
  const uint64_t bytes = element_count(header.shape, name) * static_cast<uint64_t>(dtype.bytes);

  const auto truncated = [&](uint64_t there) {
    fail(name, ": truncated: header promises ", bytes, " bytes of ", header.descr, " data (shape ",
         shape_string(header.shape), "), file has ", there);
  };
  const auto trailing = [&] {
    fail(name, ": trailing garbage after the ", bytes, " bytes of data the header promises (shape ",
         shape_string(header.shape), ")");
  };
  const bool as_bytes = keep_bytes && dtype.dtype == NpyDtype::UInt8;
  DataValues values;
  Tensor& t = values.floats;
  if (const std::optional<uint64_t> size = data_detail::bytes_left(in)) {
    // A file (or any stream that can seek): the promise is checked against its size before
    // anything is allocated, then the data is converted straight into the tensor.
    if (*size < bytes) truncated(*size);
    if (*size > bytes) trailing();
    if (as_bytes) {
      values.bytes.emplace(header.shape);
      in.read(reinterpret_cast<char*>(values.bytes->data()), static_cast<std::streamsize>(bytes));
      if (in.bad()) fail(name, ": read error: ", std::strerror(errno));
      if (static_cast<uint64_t>(in.gcount()) < bytes) truncated(static_cast<uint64_t>(in.gcount()));
      return values;
    }
    t.resize(header.shape);
    data_detail::touch_pages_in_parallel(t.data(), t.size());
    float* dst = t.data();
    const int64_t got = data_detail::read_in_blocks(
        in, name, dtype.bytes, t.size(),
        [&](const unsigned char* block, int64_t first, int64_t count) { convert(block, dtype.dtype, dst + first, count); });
    if (got < t.size()) truncated(static_cast<uint64_t>(got) * static_cast<uint64_t>(dtype.bytes));
  } else {
    // A pipe: read what arrives, growing the buffer only as data really comes.
    std::vector<unsigned char> data = data_detail::read_at_most(bytes, read_some);
    if (data.size() < bytes) truncated(data.size());
    if (data_detail::has_more(read_some)) trailing();
    if (as_bytes) {
      values.bytes.emplace(header.shape);
      if (!data.empty()) std::memcpy(values.bytes->data(), data.data(), data.size());
      return values;
    }
    t.resize(header.shape);  // every element is written below: no zero fill
    convert(data.data(), dtype.dtype, t.data(), t.size());
  }
  // Only floating-point files can hold NaN or Inf.
  if (dtype.dtype == NpyDtype::Float32 || dtype.dtype == NpyDtype::Float64) check_finite(t, name);
  return values;
}

Tensor read_npy(const std::string& path) {
  std::ifstream in = data_detail::open_input(path);
  return read_npy(in, path);
}

DataValues read_npy_values(const std::string& path, bool keep_bytes) {
  std::ifstream in = data_detail::open_input(path);
  return read_npy_values(in, path, keep_bytes);
}

void write_npy(std::ostream& out, const Tensor& t, NpyDtype dtype) {
  std::string header = data_detail::format_npy_header(info(dtype).descr, t.shape());
  // Pad with spaces and end with '\n' so the data starts at a multiple of 64 bytes (numpy's rule,
  // which lets readers map the data aligned).
  const size_t preamble = kMagicSize + 2 + 2;
  header.append((64 - (preamble + header.size() + 1) % 64) % 64, ' ');
  header += '\n';
  AEKIT_ASSERT(header.size() <= 0xFFFF, "a 4-D shape always fits a version 1 header");

  out.write(kMagic, kMagicSize);
  const char version_and_length[4] = {1, 0, static_cast<char>(header.size() & 0xFF),
                                      static_cast<char>(header.size() >> 8)};
  out.write(version_and_length, 4);
  out.write(header.data(), static_cast<std::streamsize>(header.size()));

  // Converted in blocks so writing a large tensor as float64 needs no second full-size copy.
  constexpr int64_t kBlock = 1 << 16;
  std::vector<unsigned char> block;
  for (int64_t begin = 0; begin < t.size(); begin += kBlock) {
    encode(t.data() + begin, std::min(kBlock, t.size() - begin), dtype, block);
    out.write(reinterpret_cast<const char*>(block.data()), static_cast<std::streamsize>(block.size()));
  }
}

void write_npy(const std::string& path, const Tensor& t, NpyDtype dtype) {
  write_file_atomically(path, [&](std::ostream& out) { write_npy(out, t, dtype); });
}

}  // namespace aekit
