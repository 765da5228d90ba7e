// .npy reader and writer: round trips through memory and files for every dtype and rank,
// hand-made headers in the variants numpy writes, and damaged or unsupported files.
#include <aekit/core/error.h>
#include <aekit/data/npy.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

namespace aekit {
namespace {

using ::testing::HasSubstr;

std::string npy_temp_path(const std::string& name) {
  auto dir = std::filesystem::path(::testing::TempDir()) / ("aekit_data_npy_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

// A .npy file with the given header dict and raw data, in format version `major`.
std::string npy_bytes(const std::string& dict, const std::string& data, int major = 1) {
  std::string header = dict;
  const size_t preamble = 6 + 2 + (major == 1 ? 2 : 4);
  header.append((64 - (preamble + header.size() + 1) % 64) % 64, ' ');
  header += '\n';
  std::string out = "\x93NUMPY";
  out += static_cast<char>(major);
  out += '\0';
  for (int i = 0; i < (major == 1 ? 2 : 4); ++i) out += static_cast<char>((header.size() >> (8 * i)) & 0xFF);
  return out + header + data;
}

std::string floats(std::initializer_list<float> values) {
  std::string s(values.size() * 4, '\0');
  std::memcpy(s.data(), values.begin(), s.size());
  return s;
}

Tensor read_string(const std::string& bytes) {
  std::istringstream in(bytes);
  return read_npy(in, "mem.npy");
}

std::string npy_error_of(const std::string& bytes) {
  try {
    read_string(bytes);
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no InputError";
  return "";
}

Tensor sample(const Shape& shape) {
  Tensor t(shape);
  for (int64_t i = 0; i < t.size(); ++i) t[i] = static_cast<float>(i % 200) + 0.25f;
  return t;
}

TEST(DataNpy, RoundTripsEveryDtypeInMemory) {
  Tensor t = sample({3, 5});
  for (NpyDtype dtype : {NpyDtype::Float32, NpyDtype::Float64}) {
    std::ostringstream out;
    write_npy(out, t, dtype);
    Tensor back = read_string(out.str());
    ASSERT_EQ(back.shape(), t.shape());
    for (int64_t i = 0; i < t.size(); ++i) EXPECT_EQ(back[i], t[i]);
  }
  std::ostringstream out;
  write_npy(out, t, NpyDtype::UInt8);
  Tensor back = read_string(out.str());
  for (int64_t i = 0; i < t.size(); ++i) EXPECT_EQ(back[i], std::round(t[i]));
}

// Integer files, as pandas and numpy write tables of counts: read exactly, written rounded and
// clamped to the type's range.
TEST(DataNpy, ReadsAndWritesInt32AndInt64) {
  Tensor t({2, 3});
  const float values[] = {-7.0f, 0.0f, 3.4f, 3.6f, 16777216.0f, -2.5f};
  for (int64_t i = 0; i < t.size(); ++i) t[i] = values[i];
  for (NpyDtype dtype : {NpyDtype::Int32, NpyDtype::Int64}) {
    std::ostringstream out;
    write_npy(out, t, dtype);
    EXPECT_NE(out.str().find(dtype == NpyDtype::Int32 ? "'<i4'" : "'<i8'"), std::string::npos);
    Tensor back = read_string(out.str());
    ASSERT_EQ(back.shape(), t.shape());
    const float expected[] = {-7.0f, 0.0f, 3.0f, 4.0f, 16777216.0f, -2.0f};  // nearest, ties to even
    for (int64_t i = 0; i < t.size(); ++i) EXPECT_EQ(back[i], expected[i]) << i;
  }
  Tensor huge({1, 2});
  huge[0] = 1e12f;
  huge[1] = -1e12f;
  std::ostringstream out;
  write_npy(out, huge, NpyDtype::Int32);
  Tensor back = read_string(out.str());
  EXPECT_EQ(back[0], static_cast<float>(std::numeric_limits<int32_t>::max()));
  EXPECT_EQ(back[1], static_cast<float>(std::numeric_limits<int32_t>::min()));
}

TEST(DataNpy, RoundTripsEveryRankThroughAFile) {
  for (const Shape& shape : {Shape{}, Shape{7}, Shape{2, 3}, Shape{2, 3, 4}, Shape{2, 1, 3, 2}, Shape{0, 4}}) {
    std::string path = npy_temp_path("rank.npy");
    write_npy(path, sample(shape));
    Tensor back = read_npy(path);
    EXPECT_EQ(back.shape(), shape);
    for (int64_t i = 0; i < back.size(); ++i) EXPECT_EQ(back[i], sample(shape)[i]);
  }
}

TEST(DataNpy, DataStartsAt64ByteBoundary) {
  std::ostringstream out;
  write_npy(out, sample({2, 2}));
  EXPECT_EQ((out.str().size() - 16) % 64, 0u);
}

TEST(DataNpy, UInt8RoundsAndClamps) {
  Tensor t({5});
  const float in[] = {-3.0f, 2.4f, 2.6f, 300.0f, NAN};
  std::memcpy(t.data(), in, sizeof in);
  std::ostringstream out;
  write_npy(out, t, NpyDtype::UInt8);
  Tensor back = read_string(out.str());
  EXPECT_EQ(back[0], 0.0f);
  EXPECT_EQ(back[1], 2.0f);
  EXPECT_EQ(back[2], 3.0f);
  EXPECT_EQ(back[3], 255.0f);
  EXPECT_EQ(back[4], 0.0f);
}

TEST(DataNpy, ReadsHeaderVariants) {
  const std::string data = floats({1, 2, 3, 4});
  for (const std::string& dict : {std::string("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }"),
                                  std::string("{\"shape\":(2,2),\"fortran_order\":False,\"descr\":\"<f4\"}"),
                                  std::string("{ 'descr' : '<f4' , 'fortran_order' : False , 'shape' : ( 2 , 2 , ) }")}) {
    for (int major : {1, 2, 3}) {
      Tensor t = read_string(npy_bytes(dict, data, major));
      EXPECT_EQ(t.shape(), (Shape{2, 2})) << dict;
      EXPECT_EQ(t[3], 4.0f);
    }
  }
  EXPECT_EQ(read_string(npy_bytes("{'descr': '<u1', 'fortran_order': False, 'shape': (2,), }", "\x01\xff"))[1], 255.0f);
}

TEST(DataNpy, MissingFile) {
  std::string path = npy_temp_path("absent.npy");
  try {
    read_npy(path);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), path + ": cannot open: No such file or directory");
  }
}

TEST(DataNpy, RejectsFortranOrder) {
  EXPECT_THAT(npy_error_of(npy_bytes("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", floats({1, 2, 3, 4}))),
              HasSubstr("mem.npy: Fortran-order arrays are not supported"));
}

TEST(DataNpy, RejectsUnsupportedDtype) {
  EXPECT_THAT(npy_error_of(npy_bytes("{'descr': '<i2', 'fortran_order': False, 'shape': (1,), }", "\0\0\0\0")),
              HasSubstr("mem.npy: unsupported .npy dtype '<i2' (supported: '<f4' float32"));
  EXPECT_THAT(npy_error_of(npy_bytes("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", "\0\0\0\0")),
              HasSubstr("unsupported .npy dtype '>f4'"));
}

TEST(DataNpy, RejectsBadMagicAndVersion) {
  EXPECT_THAT(npy_error_of("PK\x03\x04 not numpy at all"), HasSubstr("mem.npy: not a .npy file"));
  std::string v9 = npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", floats({1}));
  v9[6] = 9;
  EXPECT_THAT(npy_error_of(v9), HasSubstr("mem.npy: unsupported .npy format version 9.0"));
}

TEST(DataNpy, RejectsBadHeaders) {
  auto header_error = [](const std::string& dict) { return npy_error_of(npy_bytes(dict, floats({1}))); };
  EXPECT_THAT(header_error("{'descr': '<f4', 'shape': (1,), }"), HasSubstr("mem.npy: bad .npy header: missing key 'fortran_order'"));
  EXPECT_THAT(header_error("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}"),
              HasSubstr("unexpected key 'x'"));
  EXPECT_THAT(header_error("{'descr': '<f4', 'fortran_order': False, 'shape': (1), }"), HasSubstr("(n,)"));
  EXPECT_THAT(header_error("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }"), HasSubstr("non-negative"));
  EXPECT_THAT(header_error("{'descr': '<f4', 'fortran_order': Maybe, 'shape': (1,), }"), HasSubstr("True or False"));
  EXPECT_THAT(header_error("{'descr': '<f4', 'fortran_order': False, 'shape': (1,1,1,1,1), }"),
              HasSubstr("more than 4 dimensions"));
  EXPECT_THAT(header_error("{'descr': '<f4', 'fortran_order': False, 'shape': (1,)"), HasSubstr("expected '}'"));
}

TEST(DataNpy, RejectsImplausibleHeaderLength) {
  std::string bytes = "\x93NUMPY\x02";
  bytes += std::string("\0\xff\xff\xff\x7f", 5);
  EXPECT_THAT(npy_error_of(bytes), HasSubstr("mem.npy: implausible .npy header length"));
}

TEST(DataNpy, RejectsTruncatedData) {
  std::string bytes = npy_bytes("{'descr': '<f8', 'fortran_order': False, 'shape': (1000, 1000), }", std::string(24, '\0'));
  EXPECT_THAT(npy_error_of(bytes), HasSubstr("mem.npy: truncated: header promises 8000000 bytes of <f8 data (shape [1000, 1000]), file has 24"));
  std::string huge = npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (65536, 65536, 4096), }", "");
  EXPECT_THAT(npy_error_of(huge), HasSubstr("truncated: header promises"));
}

TEST(DataNpy, RejectsTrailingGarbage) {
  std::string bytes = npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", floats({1}) + "x");
  EXPECT_THAT(npy_error_of(bytes), HasSubstr("mem.npy: trailing garbage after the 4 bytes"));
}

TEST(DataNpy, RejectsNaNAndInf) {
  std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }";
  EXPECT_THAT(npy_error_of(npy_bytes(dict, floats({1, NAN, 3, 4}))), HasSubstr("mem.npy: value at [0, 1] is NaN"));
  EXPECT_THAT(npy_error_of(npy_bytes(dict, floats({1, 2, -INFINITY, 4}))), HasSubstr("mem.npy: value at [1, 0] is infinite"));
}

// numpy is the reference for the format: it must read our files and we must read its.
TEST(DataNpy, InteroperatesWithNumpy) {
  if (std::system(AEKIT_PYTHON " -c 'import numpy' 2>/dev/null") != 0) GTEST_SKIP() << "numpy is not installed";
  const std::string ours = npy_temp_path("ours.npy"), theirs = npy_temp_path("theirs.npy");
  write_npy(ours, sample({3, 4}), NpyDtype::Float64);
  const std::string script = "import numpy as n; a = n.load('" + ours + "'); assert a.dtype == n.float64 and a.shape == (3, 4) " +
                             "and a[2, 3] == 11.25; n.save('" + theirs + "', n.arange(24, dtype=n.uint8).reshape(2, 3, 4))";
  ASSERT_EQ(std::system((AEKIT_PYTHON " -c \"" + script + "\"").c_str()), 0);
  Tensor t = read_npy(theirs);
  EXPECT_EQ(t.shape(), (Shape{2, 3, 4}));
  EXPECT_EQ(t[23], 23.0f);
}

// A stream that cannot seek (a pipe) has no size to check the header against: it is read as the
// data arrives, with the same errors.
class UnseekableBuffer : public std::stringbuf {
 public:
  explicit UnseekableBuffer(const std::string& bytes) : std::stringbuf(bytes) {}

 protected:
  pos_type seekoff(off_type, std::ios_base::seekdir, std::ios_base::openmode) override { return pos_type(-1); }
  pos_type seekpos(pos_type, std::ios_base::openmode) override { return pos_type(-1); }
};

TEST(DataNpy, UnseekableStreamsReadTheSame) {
  Tensor t({3, 4});
  for (int64_t i = 0; i < t.size(); ++i) t[i] = static_cast<float>(i) * 0.5f;
  std::ostringstream out;
  write_npy(out, t);
  UnseekableBuffer buffer(out.str());
  std::istream in(&buffer);
  const Tensor back = read_npy(in, "pipe.npy");
  ASSERT_EQ(back.shape(), t.shape());
  for (int64_t i = 0; i < t.size(); ++i) EXPECT_EQ(back[i], t[i]);

  UnseekableBuffer cut(out.str().substr(0, out.str().size() - 4));
  std::istream cut_in(&cut);
  try {
    read_npy(cut_in, "pipe.npy");
    FAIL() << "a truncated stream was accepted";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("pipe.npy: truncated: header promises 48 bytes of <f4 data (shape [3, 4]), file has 44"));
  }
}

}  // namespace
}  // namespace aekit
