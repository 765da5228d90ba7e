// Checked size arithmetic at the edges where unchecked int64/uint64 arithmetic wraps.
#include <aekit/core/checked_size.h>
#include <aekit/core/tensor.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <vector>

namespace aekit {
namespace {

constexpr uint64_t kU64Max = std::numeric_limits<uint64_t>::max();
constexpr int64_t kI64Max = std::numeric_limits<int64_t>::max();

TEST(CheckedSize, MulAtTheInt64Edge) {
  EXPECT_EQ(checked_mul(0, kU64Max), 0u);
  EXPECT_EQ(checked_mul(1, kMaxSize), kMaxSize);
  EXPECT_EQ(checked_mul(uint64_t{1} << 31, uint64_t{1} << 31), uint64_t{1} << 62);
  EXPECT_FALSE(checked_mul(uint64_t{1} << 32, uint64_t{1} << 31));  // 2^63 > INT64_MAX
  EXPECT_FALSE(checked_mul(uint64_t{1} << 32, uint64_t{1} << 32));  // 2^64 wraps to 0 unchecked
  EXPECT_FALSE(checked_mul(kU64Max, 2));
  EXPECT_FALSE(checked_mul(3074457345618258603u, 6));  // the image_width x image_height
  EXPECT_EQ(checked_mul(3074457345618258602u, 3), 9223372036854775806u);
}

TEST(CheckedSize, MulRespectsTheLimit) {
  EXPECT_EQ(checked_mul(1000, 1000, 1'000'000), 1'000'000u);
  EXPECT_FALSE(checked_mul(1000, 1001, 1'000'000));
}

TEST(CheckedSize, AddAtTheEdges) {
  EXPECT_EQ(checked_add(kMaxSize - 1, 1), kMaxSize);
  EXPECT_FALSE(checked_add(kMaxSize, 1));
  EXPECT_FALSE(checked_add(kU64Max, 1));  // wraps to 0 unchecked
  EXPECT_EQ(checked_add(5, 5, 10), 10u);
  EXPECT_FALSE(checked_add(5, 6, 10));
}

TEST(CheckedSize, ProductOfShapes) {
  EXPECT_EQ(checked_product(std::vector<int64_t>{}), 1u);
  EXPECT_EQ(checked_product(std::vector<int64_t>{60000, 28, 28}), 47040000u);
  EXPECT_EQ(checked_product(std::vector<int64_t>{3, 0, 5}), 0u);
  EXPECT_FALSE(checked_product(std::vector<int64_t>{-1, 5}));
  EXPECT_FALSE(checked_product(std::vector<int64_t>{kI64Max, 2}));
  // 2^32 * 2^32 wraps to exactly 0 in uint64, which an unchecked reader takes for an empty array.
  EXPECT_FALSE(checked_product(std::vector<int64_t>{int64_t{1} << 32, int64_t{1} << 32}));
  // A zero dimension does not excuse a product of the others that overflows.
  EXPECT_FALSE(checked_product(std::vector<int64_t>{int64_t{1} << 40, int64_t{1} << 40, 0}));
  EXPECT_EQ(checked_product(std::vector<int64_t>{int64_t{1} << 24, int64_t{1} << 24}, uint64_t{1} << 48),
            uint64_t{1} << 48);
  EXPECT_FALSE(checked_product(std::vector<int64_t>{(int64_t{1} << 24) + 1, int64_t{1} << 24}, uint64_t{1} << 48));
  EXPECT_FALSE(checked_product(std::vector<int64_t>{(int64_t{1} << 48) + 1, 0}, uint64_t{1} << 48));
}

TEST(CheckedSize, TensorRefusesAShapeWhoseSizeOverflows) {
  Tensor t;
  EXPECT_ANY_THROW(t.resize({int64_t{1} << 32, int64_t{1} << 32}));
  EXPECT_TRUE(t.empty());
}

}  // namespace
}  // namespace aekit
