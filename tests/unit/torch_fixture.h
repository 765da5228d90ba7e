#pragma once
// Reads a PyTorch fixture from tests/fixtures/<dir>/ (made by the script named in the message).
// A missing fixture throws, so the test fails rather than skips.
#include <aekit/core/tensor.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace aekit::test {

inline nlohmann::json load_torch_fixture(const std::string& dir, const std::string& file,
                                         const std::string& script) {
  const std::string path = std::string(AEKIT_SOURCE_DIR) + "/tests/fixtures/" + dir + "/" + file;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("missing fixture " + path + "; run scripts/" + script);
  return nlohmann::json::parse(in);
}

// A fixture's flat list of values as a tensor of the given shape.
inline Tensor fixture_tensor(const nlohmann::json& values, const Shape& shape) {
  Tensor t(shape);
  if (static_cast<int64_t>(values.size()) != t.size())
    throw std::runtime_error("fixture holds " + std::to_string(values.size()) + " values for shape " +
                             shape_string(shape));
  for (int64_t i = 0; i < t.size(); ++i) t[i] = values[static_cast<size_t>(i)].get<float>();
  return t;
}

// Every element within atol + rtol * |expected|; reports the worst element.
inline void expect_close_to_fixture(const std::string& what, const Tensor& actual,
                                    const nlohmann::json& expected, float atol = 1e-5f,
                                    float rtol = 1e-4f) {
  ASSERT_EQ(static_cast<int64_t>(expected.size()), actual.size()) << what << ": size differs";
  int64_t worst = -1;
  float worst_excess = 0.0f;
  for (int64_t i = 0; i < actual.size(); ++i) {
    const float e = expected[static_cast<size_t>(i)].get<float>();
    const float excess = std::fabs(actual[i] - e) - (atol + rtol * std::fabs(e));
    if (excess > worst_excess || std::isnan(actual[i])) worst = i, worst_excess = std::max(excess, worst_excess);
  }
  if (worst >= 0)
    ADD_FAILURE() << what << "[" << worst << "]: aekit " << actual[worst] << " vs PyTorch "
                  << expected[static_cast<size_t>(worst)].get<float>();
}

}  // namespace aekit::test
