// IDX reader: round trips of files the test writes (raw and gzip, every type code) and every
// kind of damaged file, each of which must give one InputError naming the file and the problem.
#include <aekit/core/error.h>
#include <aekit/data/idx.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

namespace aekit {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

using Bytes = std::vector<unsigned char>;

std::string idx_temp_path(const std::string& name) {
  auto dir = std::filesystem::path(::testing::TempDir()) / ("aekit_data_idx_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

void append_big_endian(Bytes& out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<unsigned char>(v >> (8 * i)));
}

Bytes idx_header(unsigned char type, const std::vector<uint32_t>& dims) {
  Bytes out{0, 0, type, static_cast<unsigned char>(dims.size())};
  for (uint32_t d : dims) append_big_endian(out, d, 4);
  return out;
}

std::string write_raw(const std::string& name, const Bytes& bytes) {
  std::string path = idx_temp_path(name);
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  return path;
}

std::string write_gz(const std::string& name, const Bytes& bytes) {
  std::string path = idx_temp_path(name);
  gzFile f = gzopen(path.c_str(), "wb");
  gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size()));
  gzclose(f);
  return path;
}

std::string idx_error_of(const std::string& path) {
  try {
    read_idx(path);
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no InputError for " << path;
  return "";
}

Bytes small_images() {
  Bytes b = idx_header(0x08, {2, 3, 4});
  for (int i = 0; i < 24; ++i) b.push_back(static_cast<unsigned char>(i * 11));
  return b;
}

void expect_small_images(const Tensor& t) {
  EXPECT_EQ(t.shape(), (Shape{2, 3, 4}));
  for (int i = 0; i < 24; ++i) EXPECT_EQ(t[i], static_cast<float>(static_cast<unsigned char>(i * 11)));
}

TEST(DataIdx, ReadsRawUint8) { expect_small_images(read_idx(write_raw("images.idx", small_images()))); }

TEST(DataIdx, ReadsGzipByContentNotName) {
  expect_small_images(read_idx(write_gz("images-idx3-ubyte", small_images())));
  expect_small_images(read_idx(write_gz("images.gz", small_images())));
}

TEST(DataIdx, ConvertsEveryTypeCode) {
  auto one = [](unsigned char type, uint64_t bits, int bytes) {
    Bytes b = idx_header(type, {1});
    append_big_endian(b, bits, bytes);
    return read_idx(write_raw("one.idx", b))[0];
  };
  EXPECT_EQ(one(0x08, 255, 1), 255.0f);
  EXPECT_EQ(one(0x09, 0xFB, 1), -5.0f);
  EXPECT_EQ(one(0x0B, 0xFED4, 2), -300.0f);
  EXPECT_EQ(one(0x0C, 100000, 4), 100000.0f);
  float f = 1.5f;
  uint32_t fbits;
  std::memcpy(&fbits, &f, 4);
  EXPECT_EQ(one(0x0D, fbits, 4), 1.5f);
  double d = -2.25;
  uint64_t dbits;
  std::memcpy(&dbits, &d, 8);
  EXPECT_EQ(one(0x0E, dbits, 8), -2.25f);
}

TEST(DataIdx, MissingFile) {
  std::string path = idx_temp_path("absent.idx");
  EXPECT_EQ(idx_error_of(path), path + ": cannot open: No such file or directory");
}

TEST(DataIdx, WrongMagic) {
  std::string path = write_raw("magic.idx", {0x12, 0x34, 0x56, 0x78, 0, 0, 0, 1});
  EXPECT_THAT(idx_error_of(path), AllOf(HasSubstr(path + ": wrong magic number 0x12345678"),
                                    HasSubstr("starts with two zero bytes")));
}

TEST(DataIdx, TooShortForAHeader) {
  std::string path = write_raw("short.idx", {0, 0});
  EXPECT_THAT(idx_error_of(path), HasSubstr(path + ": not an IDX file: the file has only 2 bytes"));
}

TEST(DataIdx, UnsupportedTypeCode) {
  std::string path = write_raw("type.idx", idx_header(0x0A, {1}));
  EXPECT_THAT(idx_error_of(path), HasSubstr(path + ": unsupported IDX type code 0x0A"));
}

TEST(DataIdx, DimensionCountOutOfRange) {
  std::string zero = write_raw("ndim0.idx", {0, 0, 8, 0});
  EXPECT_THAT(idx_error_of(zero), HasSubstr(zero + ": IDX file has 0 dimensions; 1 to 4 are supported"));
  std::string five = write_raw("ndim5.idx", idx_header(0x08, {1, 1, 1, 1, 1}));
  EXPECT_THAT(idx_error_of(five), HasSubstr("has 5 dimensions"));
}

TEST(DataIdx, TruncatedInsideTheDimensions) {
  Bytes b = idx_header(0x08, {10, 10});
  b.resize(b.size() - 2);
  std::string path = write_raw("dims.idx", b);
  EXPECT_THAT(idx_error_of(path), HasSubstr(path + ": truncated: the header declares 2 dimensions"));
}

TEST(DataIdx, TruncatedRaw) {
  Bytes b = idx_header(0x08, {10, 10});
  b.resize(b.size() + 50, 7);
  std::string path = write_raw("trunc.idx", b);
  EXPECT_THAT(idx_error_of(path), AllOf(HasSubstr(path + ": truncated: header promises 100 bytes of uint8 data"),
                                    HasSubstr("file has 50")));
}

TEST(DataIdx, TruncatedGzipContent) {
  Bytes b = idx_header(0x0C, {10});
  b.resize(b.size() + 12, 1);
  std::string path = write_gz("trunc.idx.gz", b);
  EXPECT_THAT(idx_error_of(path), AllOf(HasSubstr(path + ": truncated: header promises 40 bytes of int32 data"),
                                    HasSubstr("decompressed data has 12")));
}

TEST(DataIdx, GzipFileCutShort) {
  Bytes b = idx_header(0x08, {1000});
  for (int i = 0; i < 1000; ++i) b.push_back(static_cast<unsigned char>(i * 7919 % 251));
  std::string path = write_gz("cut.gz", b);
  std::filesystem::resize_file(path, std::filesystem::file_size(path) / 2);
  EXPECT_THAT(idx_error_of(path), HasSubstr(path + ": truncated: header promises 1000 bytes"));
}

TEST(DataIdx, GzipTrailerCutShort) {
  std::string path = write_gz("trailer.gz", small_images());
  std::filesystem::resize_file(path, std::filesystem::file_size(path) - 4);  // drop the length field
  EXPECT_THAT(idx_error_of(path), AllOf(HasSubstr(path + ": corrupt gzip data"), HasSubstr("truncated")));
}

TEST(DataIdx, HugeHeaderFailsWithoutAllocating) {
  Bytes b = idx_header(0x0E, {1u << 20, 1u << 20, 1u << 20});
  b.resize(b.size() + 64);
  std::string path = write_raw("huge.idx", b);
  EXPECT_THAT(idx_error_of(path), HasSubstr(path + ": implausible IDX header"));
  Bytes c = idx_header(0x08, {65536, 65536, 64});  // 2^38 bytes promised, 64 present
  c.resize(c.size() + 64);
  std::string path2 = write_raw("huge2.idx", c);
  EXPECT_THAT(idx_error_of(path2), AllOf(HasSubstr("truncated: header promises 274877906944 bytes"), HasSubstr("file has 64")));
}

TEST(DataIdx, TrailingGarbage) {
  Bytes b = small_images();
  b.push_back(0);
  std::string raw = write_raw("garbage.idx", b);
  EXPECT_THAT(idx_error_of(raw), HasSubstr(raw + ": trailing garbage: the file continues after the 24 bytes"));
  std::string gz = write_gz("garbage.gz", b);
  EXPECT_THAT(idx_error_of(gz), HasSubstr(gz + ": trailing garbage: the decompressed data continues"));
}

TEST(DataIdx, RejectsNaNInFloatData) {
  Bytes b = idx_header(0x0D, {2, 2});
  append_big_endian(b, 0, 4);
  append_big_endian(b, 0, 4);
  append_big_endian(b, 0x7FC00000, 4);  // quiet NaN
  append_big_endian(b, 0, 4);
  std::string path = write_raw("nan.idx", b);
  EXPECT_THAT(idx_error_of(path), HasSubstr(path + ": value at [1, 0] is NaN"));
}

// Raw files are converted a block (1 MiB) at a time: values across the block boundaries, in
// every type width, arrive where they belong.
TEST(DataIdx, RawDataSpanningManyBlocksIsExact) {
  constexpr uint32_t kRows = 3000, kCols = 1000;  // 3 MB of uint8: three full blocks and a part
  Bytes u8 = idx_header(0x08, {kRows, kCols});
  for (uint32_t i = 0; i < kRows * kCols; ++i) u8.push_back(static_cast<unsigned char>(i * 7 % 251));
  const Tensor a = read_idx(write_raw("blocks_u8.idx", u8));
  ASSERT_EQ(a.size(), int64_t{kRows} * kCols);
  for (uint32_t i = 0; i < kRows * kCols; ++i) ASSERT_EQ(a[i], static_cast<float>(i * 7 % 251)) << i;

  constexpr uint32_t kCount = 700'001;  // int32: 2.8 MB, not a multiple of the block
  Bytes i32 = idx_header(0x0C, {kCount});
  for (uint32_t i = 0; i < kCount; ++i) append_big_endian(i32, static_cast<uint32_t>(-static_cast<int32_t>(i)), 4);
  const Tensor b = read_idx(write_raw("blocks_i32.idx", i32));
  for (uint32_t i = 0; i < kCount; ++i) ASSERT_EQ(b[i], -static_cast<float>(i)) << i;
}

}  // namespace
}  // namespace aekit
