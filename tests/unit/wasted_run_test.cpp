// The warnings that catch a wasted run (train/wasted_run.h), each on a network built to show it.
#include <aekit/models/autoencoder.h>
#include <aekit/models/dense_arch.h>
#include <aekit/train/wasted_run.h>

#include <gtest/gtest.h>

#include <random>

namespace aekit {
namespace {

ModelSpec wasted_dense(std::vector<int64_t> encoder, const std::string& code_activation = "identity", float dropout = 0) {
  DenseArch arch;
  arch.encoder = std::move(encoder);
  arch.activation = "relu";
  arch.code_activation = code_activation;
  arch.output_activation = "identity";
  arch.dropout = dropout;
  return arch.to_spec();
}

Tensor uniform(int64_t rows, int64_t cols) {
  Tensor x({rows, cols});
  std::mt19937 gen(7);
  std::uniform_real_distribution<float> u(0, 1);
  for (int64_t i = 0; i < x.size(); ++i) x.data()[i] = u(gen);
  return x;
}

// Every parameter set by `value(name, tensor)`.
template <typename F>
void set_params(Autoencoder& net, F value) {
  for (Param& p : net.params()) value(p.name, *p.value);
}

TEST(WastedRun, WideCodeWithoutRegulariserWarnsOnce) {
  const ModelSpec wide = wasted_dense({4, 8, 6});
  Autoencoder net(wide, 1);
  const auto warning = code_width_warning(wide, net, 0.0f);
  ASSERT_TRUE(warning);
  EXPECT_NE(warning->find("the code (6 values) is not narrower than the input (4 features)"), std::string::npos)
      << *warning;
  EXPECT_EQ(warning->find('\n'), std::string::npos);
  EXPECT_FALSE(code_width_warning(wide, net, 1e-4f)) << "weight decay regularises";
  const ModelSpec dropped = wasted_dense({4, 8, 6}, "identity", 0.2f);
  Autoencoder dropped_net(dropped, 1);
  EXPECT_FALSE(code_width_warning(dropped, dropped_net, 0.0f));
  const ModelSpec narrow = wasted_dense({4, 3, 2});
  Autoencoder narrow_net(narrow, 1);
  EXPECT_FALSE(code_width_warning(narrow, narrow_net, 0.0f));
}

TEST(WastedRun, SaturatedCodesAreCalledCollapsed) {
  const Tensor x = uniform(300, 6);
  Autoencoder healthy(wasted_dense({6, 5, 3}), 3);
  EXPECT_FALSE(collapsed_code_warning(healthy, x));
  // Sigmoid code units whose inputs are ignored sit at sigmoid(4) = 0.982 for every sample, as
  // the digits' codes did in [0.977, 0.987].
  Autoencoder stuck(wasted_dense({6, 5, 3}, "sigmoid"), 3);
  set_params(stuck, [](const std::string& name, Tensor& t) {
    for (int64_t i = 0; i < t.size(); ++i) t.data()[i] = name == "encoder.1.bias" ? 4.0f : 0.0f;
  });
  const auto warning = collapsed_code_warning(stuck, x);
  ASSERT_TRUE(warning);
  EXPECT_NE(warning->find("the codes barely vary across samples"), std::string::npos) << *warning;
}

TEST(WastedRun, ErrorAtTheLevelOfTheMeanIsCalledStalled) {
  const Tensor x = uniform(300, 2);
  // Identity weights reconstruct exactly.
  Autoencoder exact(wasted_dense({2, 2}), 1);
  set_params(exact, [](const std::string& name, Tensor& t) {
    const bool weight = name.find("weight") != std::string::npos;
    for (int64_t i = 0; i < t.size(); ++i) t.data()[i] = weight && i % 3 == 0 ? 1.0f : 0.0f;
  });
  EXPECT_FALSE(stalled_loss_warning(exact, x));
  // Zero weights output the biases whatever the input: at best the mean.
  Autoencoder constant(wasted_dense({2, 2}), 1);
  set_params(constant, [](const std::string& name, Tensor& t) {
    for (int64_t i = 0; i < t.size(); ++i) t.data()[i] = name.find("decoder.0.bias") != std::string::npos ? 0.5f : 0.0f;
  });
  const auto warning = stalled_loss_warning(constant, x);
  ASSERT_TRUE(warning);
  EXPECT_NE(warning->find("no better than predicting each feature's mean"), std::string::npos) << *warning;
}

}  // namespace
}  // namespace aekit
