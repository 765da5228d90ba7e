// The output activation's range against the preprocessed data: which activation decides it, and
// the warning that training prints when part of the data lies outside it.
#include <aekit/layers/layer_spec.h>
#include <aekit/models/dense_arch.h>
#include <aekit/train/output_range.h>

#include <gtest/gtest.h>

#include <cmath>

namespace aekit {
namespace {

ModelSpec range_dense(const std::string& output_activation) {
  DenseArch arch;
  arch.encoder = {4, 3, 2};
  arch.activation = "tanh";
  arch.output_activation = output_activation;
  return arch.to_spec();
}

Tensor range_values(std::initializer_list<float> v) {
  Tensor x({1, static_cast<int64_t>(v.size())});
  std::copy(v.begin(), v.end(), x.data());
  return x;
}

TEST(OutputRange, ActivationRanges) {
  EXPECT_EQ(output_activation(range_dense("sigmoid"))->name, "sigmoid");
  EXPECT_EQ(output_activation(range_dense("sigmoid"))->range.low, 0.0);
  EXPECT_EQ(output_activation(range_dense("sigmoid"))->range.high, 1.0);
  EXPECT_EQ(output_activation(range_dense("tanh"))->range.low, -1.0);
  EXPECT_TRUE(std::isinf(output_activation(range_dense("relu"))->range.high));
  EXPECT_NEAR(output_activation(range_dense("selu"))->range.low, -1.7581, 1e-4);
  EXPECT_TRUE(std::isinf(output_activation(range_dense("identity"))->range.low));
}

TEST(OutputRange, WarnsOnlyWhenDataLiesOutside) {
  const auto warning = output_range_warning(range_dense("sigmoid"), range_values({-0.5f, 0.2f, 0.9f, 1.5f}), "zscore");
  ASSERT_TRUE(warning);
  EXPECT_NE(warning->find("sigmoid reaches only [0, 1], but 50.0% of the training values after --preprocess zscore"),
            std::string::npos)
      << *warning;
  EXPECT_NE(warning->find("[-0.5, 1.5]"), std::string::npos) << *warning;
  EXPECT_EQ(warning->find('\n'), std::string::npos) << "one line";
  // The bounds themselves are fine (scaled images are exactly 0 and 1 in places).
  EXPECT_FALSE(output_range_warning(range_dense("sigmoid"), range_values({0, 0.5f, 1}), "scale"));
  EXPECT_FALSE(output_range_warning(range_dense("identity"), range_values({-40, 40}), "zscore"));
  EXPECT_TRUE(output_range_warning(range_dense("relu"), range_values({-0.1f, 3}), "none"));
  EXPECT_FALSE(output_range_warning(range_dense("tanh"), range_values({-1, 0.3f, 1}), "minmax"));
}

TEST(OutputRange, LayersAfterTheLastWeightedLayer) {
  ModelSpec spec = range_dense("sigmoid");
  // Reshape and upsampling keep the range; a batch norm last makes it unknown (no warning).
  spec.decoder.push_back(parse_layer_specs("dropout(p=0.1)", "test").front());
  EXPECT_EQ(output_activation(spec)->name, "sigmoid");
  spec.decoder.push_back(parse_layer_specs("batch_norm2d()", "test").front());
  EXPECT_FALSE(output_activation(spec));
  EXPECT_FALSE(output_range_warning(spec, range_values({-3, 3}), "zscore"));
  // A dense layer without an activation option is the identity.
  ModelSpec plain = range_dense("sigmoid");
  plain.decoder.back().options.erase("activation");
  EXPECT_EQ(output_activation(plain)->name, "identity");
}

}  // namespace
}  // namespace aekit
