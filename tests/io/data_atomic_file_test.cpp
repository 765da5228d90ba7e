// Atomic writes: a failed write must leave the old file exactly as it was and no temporary file.
#include <aekit/core/error.h>
#include <aekit/data/atomic_file.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <iterator>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace aekit {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

fs::path fresh_dir(const std::string& name) {
  fs::path dir = fs::path(::testing::TempDir()) / ("aekit_data_atomic_" + std::to_string(::getpid())) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string contents(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

int entries(const fs::path& dir) {
  return static_cast<int>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

TEST(DataAtomicFile, WritesAndReplaces) {
  fs::path dir = fresh_dir("replace");
  const std::string path = (dir / "f.bin").string();
  write_file_atomically(path, [](std::ostream& out) { out << "first"; });
  EXPECT_EQ(contents(path), "first");
  write_file_atomically(path, [](std::ostream& out) { out << "second"; });
  EXPECT_EQ(contents(path), "second");
  EXPECT_EQ(entries(dir), 1);
}

TEST(DataAtomicFile, ThrowingWriterLeavesOldFileAndNoTemp) {
  fs::path dir = fresh_dir("throw");
  const std::string path = (dir / "f.bin").string();
  std::ofstream(path) << "old contents";
  EXPECT_THROW(write_file_atomically(path,
                                     [](std::ostream& out) {
                                       out << "half of the new";
                                       throw std::runtime_error("writer failed");
                                     }),
               std::runtime_error);
  EXPECT_EQ(contents(path), "old contents");
  EXPECT_EQ(entries(dir), 1) << "a temporary file was left behind";
}

TEST(DataAtomicFile, FailedStreamIsAnInputError) {
  fs::path dir = fresh_dir("badbit");
  const std::string path = (dir / "f.bin").string();
  try {
    write_file_atomically(path, [](std::ostream& out) { out.setstate(std::ios::badbit); });
    FAIL();
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr(path + ": write failed"));
  }
  EXPECT_EQ(entries(dir), 0);
}

TEST(DataAtomicFile, MissingDirectoryNamesThePath) {
  const std::string path = (fresh_dir("missing") / "no" / "f.bin").string();
  try {
    write_file_atomically(path, [](std::ostream& out) { out << "x"; });
    FAIL();
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr(path + ": cannot create a temporary file beside it: No such file or directory"));
  }
}

}  // namespace
}  // namespace aekit
