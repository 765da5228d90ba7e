#include <aekit/data/idx.h>

#include <aekit/core/checked_size.h>
#include <aekit/core/error.h>
#include <aekit/data/detail/gzip_reader.h>
#include <aekit/data/detail/read_bytes.h>
#include <aekit/data/validate.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iomanip>
#include <memory>
#include <sstream>

namespace aekit {

namespace {

using data_detail::ReadSome;

struct IdxType {
  unsigned char code;
  const char* name;
  int bytes;
};
constexpr IdxType kTypes[] = {{0x08, "uint8", 1},   {0x09, "int8", 1},    {0x0B, "int16", 2},
                              {0x0C, "int32", 4},   {0x0D, "float32", 4}, {0x0E, "float64", 8}};

const IdxType* find_type(unsigned char code) {
  for (const IdxType& t : kTypes)
    if (t.code == code) return &t;
  return nullptr;
}

uint32_t big_endian_u32(const unsigned char* p) {
  return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | uint32_t{p[3]};
}

// Element `i` of big-endian data, as the unsigned integer type of its width.
template <typename U>
U load_big_endian(const unsigned char* data, int64_t i) {
  U v;
  std::memcpy(&v, data + i * static_cast<int64_t>(sizeof(U)), sizeof(U));
  if constexpr (sizeof(U) == 2) return __builtin_bswap16(v);
  if constexpr (sizeof(U) == 4) return __builtin_bswap32(v);
  if constexpr (sizeof(U) == 8) return __builtin_bswap64(v);
}

void convert(const unsigned char* src, unsigned char code, float* dst, int64_t n) {
  if (n == 0) return;  // an empty tensor has no buffer to copy into
  switch (code) {
    case 0x08:
      for (int64_t i = 0; i < n; ++i) dst[i] = static_cast<float>(src[i]);
      break;
    case 0x09:
      for (int64_t i = 0; i < n; ++i) dst[i] = static_cast<float>(static_cast<int8_t>(src[i]));
      break;
    case 0x0B:
      for (int64_t i = 0; i < n; ++i)
        dst[i] = static_cast<float>(static_cast<int16_t>(load_big_endian<uint16_t>(src, i)));
      break;
    case 0x0C:
      for (int64_t i = 0; i < n; ++i)
        dst[i] = static_cast<float>(static_cast<int32_t>(load_big_endian<uint32_t>(src, i)));
      break;
    case 0x0D:
      for (int64_t i = 0; i < n; ++i) {
        uint32_t bits = load_big_endian<uint32_t>(src, i);
        std::memcpy(&dst[i], &bits, 4);
      }
      break;
    case 0x0E:
      for (int64_t i = 0; i < n; ++i) {
        uint64_t bits = load_big_endian<uint64_t>(src, i);
        double v;
        std::memcpy(&v, &bits, 8);
        dst[i] = static_cast<float>(v);
      }
      break;
    default:
      AEKIT_ASSERT(false, "type code checked before conversion: ", int{code});
  }
}

// Decompressed IDX data beyond this is not a dataset aekit can train on in memory anyway.
constexpr uint64_t kMaxDecompressedBytes = uint64_t{16} << 30;
// Real datasets (MNIST: 47 MB) are read in one pass; larger promises are counted first.
constexpr uint64_t kProveBeforeAllocating = uint64_t{64} << 20;

std::string hex(uint32_t v, int digits) {
  std::ostringstream out;
  out << "0x" << std::uppercase << std::hex << std::setw(digits) << std::setfill('0') << v;
  return out.str();
}

}  // namespace

Tensor read_idx(const std::string& path) { return std::move(read_idx_values(path, false).floats); }

DataValues read_idx_values(const std::string& path, bool keep_bytes) {
  const bool compressed = data_detail::is_gzip_file(path);
  std::ifstream raw;
  std::unique_ptr<data_detail::GzipReader> gz;
  ReadSome read_some;
  if (compressed) {
    gz = std::make_unique<data_detail::GzipReader>(path);
    read_some = gz->reader();
  } else {
    raw = data_detail::open_input(path);
    read_some = data_detail::stream_reader(raw, path);
  }

  std::vector<unsigned char> magic = data_detail::read_at_most(4, read_some);
  const char* where = compressed ? "decompressed data" : "file";
  if (magic.size() < 4)
    fail(path, ": not an IDX file: the ", where, " has only ", magic.size(), " bytes");
  if (magic[0] != 0 || magic[1] != 0)
    fail(path, ": wrong magic number ", hex(big_endian_u32(magic.data()), 8),
         " (an IDX file starts with two zero bytes, a type code and the number of dimensions)");
  const IdxType* type = find_type(magic[2]);
  if (!type)
    fail(path, ": unsupported IDX type code ", hex(magic[2], 2),
         " (supported: 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64)");
  const int ndim = magic[3];
  if (ndim < 1 || ndim > 4) fail(path, ": IDX file has ", ndim, " dimensions; 1 to 4 are supported");

  std::vector<unsigned char> dims = data_detail::read_at_most(4 * ndim, read_some);
  if (dims.size() < static_cast<size_t>(4 * ndim))
    fail(path, ": truncated: the header declares ", ndim, " dimensions but the ", where,
         " ends inside them");
  Shape shape(ndim);
  for (int d = 0; d < ndim; ++d) shape[d] = big_endian_u32(dims.data() + 4 * d);
  // No real file comes near 2^48 elements; the cap keeps every byte count far from overflow.
  constexpr uint64_t kMaxElements = uint64_t{1} << 48;
  const std::optional<uint64_t> count = checked_product(shape, kMaxElements);
  if (!count) fail(path, ": implausible IDX header: shape ", shape_string(shape), " (more than 2^48 elements)");
  const uint64_t bytes = *count * static_cast<uint64_t>(type->bytes);  // < 2^51: cannot overflow

  if (compressed && bytes > kMaxDecompressedBytes)
    fail(path, ": the header promises ", bytes, " bytes of data, more than aekit decompresses (", kMaxDecompressedBytes,
         "); decompress it with gunzip and read the raw file");
  if (compressed && bytes > kProveBeforeAllocating) {
    // A few kilobytes of gzip can promise gigabytes: count the bytes in constant memory first, so a
    // bomb that does not hold what its header promises never makes us allocate for it.
    const uint64_t there = gz->skip(bytes + 1);
    if (there < bytes)
      fail(path, ": truncated: header promises ", bytes, " bytes of ", type->name, " data (shape ",
           shape_string(shape), "), ", where, " has ", there);
    gz->check_complete();
    gz->rewind();
    data_detail::read_at_most(4 + 4 * static_cast<uint64_t>(ndim), read_some);  // past the header again
  }
  const auto truncated = [&](uint64_t there) {
    fail(path, ": truncated: header promises ", bytes, " bytes of ", type->name, " data (shape ",
         shape_string(shape), "), ", where, " has ", there);
  };
  const auto trailing = [&] {
    fail(path, ": trailing garbage: the ", where, " continues after the ", bytes,
         " bytes of data the header promises (shape ", shape_string(shape), ")");
  };
  const bool as_bytes = keep_bytes && type->code == 0x08;
  DataValues values;
  Tensor& t = values.floats;
  if (compressed) {
    std::vector<unsigned char> data = data_detail::read_at_most(bytes, read_some);
    if (data.size() < bytes) truncated(data.size());
    if (data_detail::has_more(read_some)) trailing();
    gz->check_complete();
    if (as_bytes) {
      values.bytes.emplace(shape);
      if (!data.empty()) std::memcpy(values.bytes->data(), data.data(), data.size());
      return values;
    }
    t.resize(shape);  // every element is written below: no zero fill
    convert(data.data(), type->code, t.data(), t.size());
  } else {
    // A raw file's size is known: the promise is checked against it before anything is
    // allocated, then the data is converted straight into the tensor a block at a time.
    const std::optional<uint64_t> size = data_detail::bytes_left(raw);
    if (!size) fail(path, ": cannot determine the file size");
    if (*size < bytes) truncated(*size);
    if (*size > bytes) trailing();
    if (as_bytes) {
      values.bytes.emplace(shape);
      raw.read(reinterpret_cast<char*>(values.bytes->data()), static_cast<std::streamsize>(bytes));
      if (raw.bad()) fail(path, ": read error: ", std::strerror(errno));
      if (static_cast<uint64_t>(raw.gcount()) < bytes) truncated(static_cast<uint64_t>(raw.gcount()));
      return values;
    }
    t.resize(shape);
    data_detail::touch_pages_in_parallel(t.data(), t.size());
    float* dst = t.data();
    const int64_t got = data_detail::read_in_blocks(
        raw, path, type->bytes, t.size(),
        [&](const unsigned char* block, int64_t first, int64_t count) { convert(block, type->code, dst + first, count); });
    if (got < t.size()) truncated(static_cast<uint64_t>(got) * static_cast<uint64_t>(type->bytes));
  }
  if (type->code == 0x0D || type->code == 0x0E) check_finite(t, path);
  return values;
}

}  // namespace aekit
