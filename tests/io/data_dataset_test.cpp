// Dataset names and paths: a fake cache the test builds, file formats by extension, the messages
// for missing and unknown data, and the real MNIST test set when it has been fetched.
#include <aekit/core/error.h>
#include <aekit/data/dataset.h>
#include <aekit/data/npy.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>

namespace aekit {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

fs::path fresh_dataset_dir(const std::string& name) {
  fs::path dir = fs::path(::testing::TempDir()) / ("aekit_data_dataset_" + std::to_string(::getpid())) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// Sets an environment variable for one test and restores it afterwards.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_) ::setenv(name_, old_->c_str(), 1);
    else ::unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

std::string dataset_error_of(const std::string& spec) {
  try {
    load_dataset(spec);
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no InputError for " << spec;
  return "";
}

// A tiny uint8 IDX file: n images of h x w (ndim 3) or n labels (ndim 1).
void write_idx(const fs::path& path, std::vector<uint32_t> dims, bool gz) {
  std::string bytes{0, 0, 8, static_cast<char>(dims.size())};
  uint32_t count = 1;
  for (uint32_t d : dims) {
    for (int i = 3; i >= 0; --i) bytes += static_cast<char>(d >> (8 * i));
    count *= d;
  }
  for (uint32_t i = 0; i < count; ++i) bytes += static_cast<char>(i % 256);
  if (gz) {
    gzFile f = gzopen(path.c_str(), "wb");
    gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size()));
    gzclose(f);
  } else {
    std::ofstream(path, std::ios::binary) << bytes;
  }
}

TEST(DataDataset, CacheDirFollowsEnvironment) {
  {
    ScopedEnv data("AEKIT_DATA", "/data/sets");
    EXPECT_EQ(data_cache_dir(), "/data/sets");
  }
  ScopedEnv no_data("AEKIT_DATA", "");
  ScopedEnv home("HOME", "/home/someone");
  EXPECT_EQ(data_cache_dir(), "/home/someone/.cache/aekit");
}

TEST(DataDataset, NamesResolveInTheCacheRawOrGzip) {
  fs::path cache = fresh_dataset_dir("cache");
  ScopedEnv env("AEKIT_DATA", cache.string());
  fs::create_directories(cache / "fashion-mnist");
  write_idx(cache / "fashion-mnist" / "t10k-images-idx3-ubyte.gz", {5, 4, 3}, true);
  write_idx(cache / "fashion-mnist" / "t10k-labels-idx1-ubyte", {5}, false);
  Dataset d = load_dataset("fashion-mnist:test");
  EXPECT_EQ(d.x.shape(), (Shape{5, 12}));
  EXPECT_EQ(d.labels.shape(), (Shape{5}));
  EXPECT_EQ(d.image_height, 4);
  EXPECT_EQ(d.image_width, 3);
  EXPECT_EQ(d.source, "fashion-mnist:test");
  EXPECT_EQ(d.x[13], 13.0f);
}

TEST(DataDataset, MissingNamedDatasetSaysHowToFetch) {
  fs::path cache = fresh_dataset_dir("empty");
  ScopedEnv env("AEKIT_DATA", cache.string());
  EXPECT_EQ(dataset_error_of("mnist"), "mnist: not found in " + (cache / "mnist").string() +
                                   " (run scripts/fetch-data, or set AEKIT_DATA)");
  EXPECT_THAT(dataset_error_of("mnist:train"), HasSubstr("mnist:train: not found in"));
}

TEST(DataDataset, MismatchedLabelsAreAnError) {
  fs::path cache = fresh_dataset_dir("mismatch");
  ScopedEnv env("AEKIT_DATA", cache.string());
  fs::create_directories(cache / "mnist");
  write_idx(cache / "mnist" / "train-images-idx3-ubyte", {5, 2, 2}, false);
  write_idx(cache / "mnist" / "train-labels-idx1-ubyte", {4}, false);
  EXPECT_THAT(dataset_error_of("mnist:train"), HasSubstr("train-labels-idx1-ubyte: expected 5 labels"));
}

TEST(DataDataset, UnknownNamesAndSplitsListTheKnownOnes) {
  EXPECT_THAT(dataset_error_of("cifar10"), HasSubstr("unknown dataset 'cifar10' (known names: mnist, mnist:train"));
  EXPECT_THAT(dataset_error_of("mnist:validation"), HasSubstr("mnist:validation: unknown split 'validation' (use mnist:train or mnist:test)"));
  fs::path odd = fresh_dataset_dir("ext") / "data.parquet";
  std::ofstream(odd) << "x";
  EXPECT_THAT(dataset_error_of(odd.string()), HasSubstr(odd.string() + ": unknown data format '.parquet'"));
}

TEST(DataDataset, PathsByExtension) {
  fs::path dir = fresh_dataset_dir("paths");
  Tensor images({3, 2, 2});
  write_npy((dir / "img.npy").string(), images);
  Dataset d = load_dataset((dir / "img.npy").string());
  EXPECT_EQ(d.x.shape(), (Shape{3, 4}));
  EXPECT_EQ(d.image_height, 2);
  EXPECT_TRUE(d.labels.empty());

  std::ofstream(dir / "t.csv") << "a,b\n1,2\n3,4\n";
  Dataset c = load_dataset((dir / "t.csv").string());
  EXPECT_EQ(c.x.shape(), (Shape{2, 2}));
  EXPECT_EQ(c.image_height, 0);

  write_idx(dir / "codes.idx", {6}, false);
  EXPECT_EQ(load_matrix((dir / "codes.idx").string()).shape(), (Shape{6, 1}));
  EXPECT_THAT(dataset_error_of((dir / "absent.npy").string()), HasSubstr("absent.npy: cannot open: No such file or directory"));
}

// The real data: CI fetches it, so there a missing set is a failure; elsewhere it is optional.
TEST(DataDataset, RealMnistTestSet) {
  Dataset d;
  try {
    d = load_dataset("mnist:test");
  } catch (const InputError& e) {
    const char* ci = std::getenv("CI");
    if (ci && std::string(ci) == "true") FAIL() << e.what();
    GTEST_SKIP() << e.what();
  }
  EXPECT_EQ(d.x.shape(), (Shape{10000, 784}));
  EXPECT_EQ(d.labels.shape(), (Shape{10000}));
  EXPECT_EQ(d.image_height, 28);
  EXPECT_EQ(d.image_width, 28);
  auto [lo, hi] = std::minmax_element(d.x.span().begin(), d.x.span().end());
  EXPECT_EQ(*lo, 0.0f);
  EXPECT_EQ(*hi, 255.0f);
  auto [lmin, lmax] = std::minmax_element(d.labels.span().begin(), d.labels.span().end());
  EXPECT_EQ(*lmin, 0.0f);
  EXPECT_EQ(*lmax, 9.0f);
}

}  // namespace
}  // namespace aekit
