// cpu::transpose against the element-by-element definition, on shapes with and without whole
// 8 x 8 blocks and 64 x 64 tiles, and panels (one side at most 64: strips of 8), serial and in
// parallel.
#include <aekit/backend/cpu/transpose.h>
#include <aekit/core/threads.h>

#include <gtest/gtest.h>

#include <vector>

namespace aekit {
namespace {

TEST(CpuTranspose, EqualsTheDefinitionOnEveryShape) {
  const int before = num_threads();
  const std::pair<int64_t, int64_t> shapes[] = {{1, 1},  {1, 13},  {13, 1},   {8, 8},    {7, 9},     {16, 24},
                                                {64, 64}, {65, 63}, {130, 71}, {500, 671}, {671, 500}, {3, 200},
                                                {32, 671},  {671, 32}, {13, 97},   {97, 13},  {64, 700},  {700, 64}};
  for (int threads : {1, 2}) {
    set_num_threads(threads);
    for (const auto& [rows, cols] : shapes) {
      std::vector<float> src(static_cast<size_t>(rows * cols)), dst(src.size(), -1.0f);
      for (size_t i = 0; i < src.size(); ++i) src[i] = static_cast<float>(i) * 0.5f - 3.0f;
      cpu::transpose(src.data(), rows, cols, dst.data(), 1);  // parallel from the smallest size
      for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols; ++c)
          ASSERT_EQ(dst[static_cast<size_t>(c * rows + r)], src[static_cast<size_t>(r * cols + c)])
              << rows << " x " << cols << " at (" << r << ", " << c << "), " << threads << " threads";
    }
  }
  set_num_threads(before);
}

}  // namespace
}  // namespace aekit
