// clip_grad_norm against torch.nn.utils.clip_grad_norm_ (tests/fixtures/optim/clip.json): one
// case clips hard, one is far below the limit, one clips tiny gradients.
#include <aekit/core/error.h>
#include <aekit/core/threads.h>
#include <aekit/train/clip.h>

#include "optim_fixture.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

namespace aekit {
namespace {

using test::load_optim_fixture;

bool close(float actual, float expected) {
  return std::fabs(actual - expected) <= 1e-6f + 1e-5f * std::fabs(expected);
}

TEST(ClipParity, MatchesPyTorch) {
  const nlohmann::json fixture = load_optim_fixture("clip.json");
  ASSERT_GE(fixture.at("cases").size(), 3u);
  for (const auto& c : fixture.at("cases")) {
    std::vector<std::vector<float>> grads;
    for (const auto& g : c.at("grads")) grads.push_back(g.get<std::vector<float>>());
    std::vector<std::span<float>> spans(grads.begin(), grads.end());
    const float total = clip_grad_norm(spans, c.at("max_norm"));
    EXPECT_TRUE(close(total, c.at("total_norm"))) << total << " vs " << c.at("total_norm");
    for (size_t k = 0; k < grads.size(); ++k) {
      const auto expected = c.at("clipped")[k].get<std::vector<float>>();
      for (size_t i = 0; i < expected.size(); ++i)
        EXPECT_TRUE(close(grads[k][i], expected[i]))
            << "max_norm " << c.at("max_norm") << ", grad " << k << "[" << i << "]: " << grads[k][i]
            << " vs " << expected[i];
    }
  }
}

TEST(Clip, LeavesSmallGradientsAloneAndScalesLargeOnes) {
  std::vector<float> a{3.0f, 0.0f}, b{4.0f};
  std::vector<std::span<float>> grads{a, b};
  EXPECT_FLOAT_EQ(clip_grad_norm(grads, 10.0f), 5.0f);
  EXPECT_EQ(a[0], 3.0f);
  EXPECT_EQ(b[0], 4.0f);
  EXPECT_FLOAT_EQ(clip_grad_norm(grads, 1.0f), 5.0f);
  EXPECT_NEAR(std::hypot(a[0], b[0]), 1.0f, 1e-5f);
  EXPECT_THROW(clip_grad_norm(grads, -1.0f), InputError);
}

TEST(Clip, LargeGradientsGiveTheSameNormForAnyThreadCount) {
  std::vector<float> big(1'000'003);
  for (size_t i = 0; i < big.size(); ++i) big[i] = std::sin(static_cast<float>(i));
  std::vector<std::span<float>> grads{big};
  const int before = num_threads();
  set_num_threads(1);
  const float serial = clip_grad_norm(grads, 1e9f);
  set_num_threads(2);
  const float parallel = clip_grad_norm(grads, 1e9f);
  set_num_threads(before);
  EXPECT_EQ(serial, parallel);
  EXPECT_NEAR(serial, std::sqrt(big.size() / 2.0), 1.0);
}

// Many tensors of awkward sizes (empty, shorter than a vector of lanes, one element past a block,
// several blocks; more squares in all than stay on one thread) in one parallel region: the norm
// matches a long-double sum and stays the same bits for 1, 2 and 3 threads.
TEST(Clip, ManyTensorsOfAnySizeGiveTheExactNormForAnyThreadCount) {
  const size_t sizes[] = {0, 1, 15, 17, 16384, 16385, 40000, 0, 3, 300001};
  std::vector<std::vector<float>> storage;
  long double exact = 0;
  for (size_t k = 0; k < std::size(sizes); ++k) {
    std::vector<float>& t = storage.emplace_back(sizes[k]);
    for (size_t i = 0; i < t.size(); ++i) {
      t[i] = std::cos(static_cast<float>(i * 7 + k)) * static_cast<float>(k + 1);
      exact += static_cast<long double>(t[i]) * t[i];
    }
  }
  std::vector<std::span<float>> grads(storage.begin(), storage.end());
  const int before = num_threads();
  std::vector<float> norms;
  for (int threads : {1, 2, 3}) {
    set_num_threads(threads);
    norms.push_back(global_grad_norm(grads));
  }
  set_num_threads(before);
  EXPECT_EQ(norms[0], norms[1]);
  EXPECT_EQ(norms[0], norms[2]);
  EXPECT_FLOAT_EQ(norms[0], static_cast<float>(std::sqrt(exact)));
  std::vector<std::span<float>> none;
  EXPECT_EQ(global_grad_norm(none), 0.0f);
}

}  // namespace
}  // namespace aekit
