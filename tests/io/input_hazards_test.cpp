// Allocation before validation and the everyday hazards of reading and writing files: each test is
// a regression for a file or situation that once made aekit allocate far more than the file held,
// accept damaged data, leave files behind or print raw bytes.
#include <aekit/core/error.h>
#include <aekit/core/printable.h>
#include <aekit/data/atomic_file.h>
#include <aekit/data/csv.h>
#include <aekit/data/idx.h>
#include <aekit/io/model_file.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace aekit {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

long max_rss_kb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

std::string hazards_scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("aekit-hazards-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return (dir / name).string();
}

template <typename Action>
std::string hazard_input_error_of(Action action) {
  try {
    action();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no InputError)";
}

std::string hazard_idx_header(unsigned char type, std::initializer_list<uint32_t> dims) {
  std::string b = {0, 0, static_cast<char>(type), static_cast<char>(dims.size())};
  for (uint32_t d : dims)
    for (int s = 24; s >= 0; s -= 8) b += static_cast<char>((d >> s) & 0xFF);
  return b;
}

// One gzip member holding `bytes`, then `zeros` more zero bytes (streamed, so a bomb is cheap to make).
std::string gzip_member(const std::string& bytes, uint64_t zeros = 0) {
  z_stream z{};
  deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY);
  std::string out;
  std::string chunk(1 << 20, '\0');
  auto pump = [&](const char* data, size_t n, int flush) {
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data));
    z.avail_in = static_cast<uInt>(n);
    do {
      unsigned char buffer[1 << 16];
      z.next_out = buffer;
      z.avail_out = sizeof buffer;
      deflate(&z, flush);
      out.append(reinterpret_cast<char*>(buffer), sizeof buffer - z.avail_out);
    } while (z.avail_out == 0 || (flush == Z_FINISH && z.avail_in > 0));
  };
  pump(bytes.data(), bytes.size(), Z_NO_FLUSH);
  for (uint64_t left = zeros; left > 0;) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(left, chunk.size()));
    pump(chunk.data(), n, Z_NO_FLUSH);
    left -= n;
  }
  pump(nullptr, 0, Z_FINISH);
  deflateEnd(&z);
  return out;
}

void write_file(const std::string& path, const std::string& bytes) { std::ofstream(path, std::ios::binary) << bytes; }

TEST(InputHazards, CsvReservesNoMoreThanTheTextCanHold) {
  // A first line of 100,000 cells over 300,000 short lines once made the reader reserve
  // 30 billion floats (120 GB) before finding the second line ragged.
  std::string text;
  for (int i = 0; i < 100000; ++i) text += i ? ",1" : "1";
  text += '\n';
  for (int i = 0; i < 300000; ++i) text += "1\n";
  const long before = max_rss_kb();
  EXPECT_EQ(hazard_input_error_of([&] { parse_csv(text, "wide.csv"); }), "wide.csv:2: expected 100000 cells, found 1");
  EXPECT_LT(max_rss_kb() - before, 50 * 1024) << "kB of extra peak memory";
}

TEST(InputHazards, GzipBytesAfterTheLastMemberAreRejected) {
  const std::string idx = hazard_idx_header(0x08, {2, 2}) + std::string("\1\2\3\4");
  const std::string path = hazards_scratch("trailing.idx.gz");
  write_file(path, gzip_member(idx) + "garbage");
  EXPECT_EQ(hazard_input_error_of([&] { read_idx(path); }), path + ": trailing garbage: bytes after the last gzip member");
  // A second member is part of the data, as gzip -d reads it.
  write_file(path, gzip_member(idx.substr(0, 10)) + gzip_member(idx.substr(10)));
  EXPECT_EQ(read_idx(path).size(), 4);
  // A second member that is not a gzip member at all is trailing garbage too.
  write_file(path, gzip_member(idx) + std::string("\x1f\x8b\x08", 3));
  EXPECT_THAT(hazard_input_error_of([&] { read_idx(path); }), HasSubstr("is the .gz file truncated?"));
}

TEST(InputHazards, GzipBombCostsNoMemory) {
  // 100 MB of zeros compress to ~100 KB; the header promises 2^33 bytes. The stream is counted
  // in constant memory before anything is allocated for it.
  const std::string path = hazards_scratch("bomb.idx.gz");
  write_file(path, gzip_member(hazard_idx_header(0x08, {65536, 65536, 2}), uint64_t{100} << 20));
  ASSERT_LT(fs::file_size(path), 1u << 20);
  const long before = max_rss_kb();
  EXPECT_THAT(hazard_input_error_of([&] { read_idx(path); }),
              HasSubstr(path + ": truncated: header promises 8589934592 bytes of uint8 data (shape [65536, 65536, 2]), "
                               "decompressed data has 104857600"));
  EXPECT_LT(max_rss_kb() - before, 50 * 1024) << "kB of extra peak memory";
}

TEST(InputHazards, StaleTempFilesOfKilledWritersAreRemoved) {
  const std::string path = hazards_scratch("model.aek");
  // A writer that is gone: a child that has exited, its pid reaped.
  const pid_t child = fork();
  if (child == 0) _exit(0);
  waitpid(child, nullptr, 0);
  const std::string stale = path + ".tmp-" + std::to_string(child) + "-AbC123";
  const std::string live = path + ".tmp-" + std::to_string(getpid()) + "-XyZ789";  // a writer at work
  const std::string other = path + ".tmp-notapid";
  for (const std::string& p : {stale, live, other}) write_file(p, "half a model");
  write_file_atomically(path, [](std::ostream& out) { out << "model"; });
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_TRUE(fs::exists(live));
  EXPECT_TRUE(fs::exists(other));
  fs::remove(live);
  fs::remove(other);
}

TEST(InputHazards, FullDiskNamesTheCause) {
  std::ofstream full("/dev/full", std::ios::binary);
  ASSERT_TRUE(full) << "/dev/full is missing";
  ModelFile model;
  model.metadata = {{"format", kModelFormat}, {"format_version", kModelFormatVersion}};
  model.tensors.push_back({"w", Tensor({1 << 16})});
  EXPECT_EQ(hazard_input_error_of([&] { write_model(full, model); }), "could not write the model: No space left on device");
}

TEST(InputHazards, PrintableEscapesControlBytesAndInvalidUtf8) {
  EXPECT_EQ(printable("plain text, caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"), "plain text, caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
  EXPECT_EQ(printable("\x1b[2Jcleared"), "\\x1B[2Jcleared");
  EXPECT_EQ(printable("two\nlines\r"), "two\\x0Alines\\x0D");
  EXPECT_EQ(printable(std::string("nul\0byte", 8)), "nul\\x00byte");
  EXPECT_EQ(printable("\xC2\x9B" "31m"), "\\xC2\\x9B31m");  // C1 CSI
  EXPECT_EQ(printable("\xFF\xC0\xAF\xED\xA0\x80"), "\\xFF\\xC0\\xAF\\xED\\xA0\\x80");  // invalid, overlong, surrogate
  EXPECT_EQ(printable("cut \xE2\x82"), "cut \\xE2\\x82");
}

}  // namespace
}  // namespace aekit
