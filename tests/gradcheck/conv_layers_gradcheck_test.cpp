// Image layers: dL/dx and dL/d(parameters) by finite differences, for the option combinations
// where the index arithmetic differs (stride > 1 with a remainder, padding, output_padding,
// dilation, rectangular kernels, odd sizes, no bias).
#include "gradcheck.h"

#include <aekit/layers/batch_norm2d.h>
#include <aekit/layers/conv2d.h>
#include <aekit/layers/conv_transpose2d.h>
#include <aekit/layers/flatten.h>
#include <aekit/layers/max_pool2d.h>
#include <aekit/layers/reshape.h>
#include <aekit/layers/upsample.h>

#include <numeric>

namespace aekit::test {
namespace {

// Checks dx and every parameter's gradient of `layer` on a batch of 2 random images.
void check_layer(const std::string& name, Layer& layer, Tensor x, Mode mode = Mode::Train) {
  Rng rng(7);
  Tensor y;
  layer.forward(x.view(), y, mode);
  Tensor r = random_tensor(y.shape(), rng);
  auto objective = [&] {
    layer.forward(x.view(), y, mode);
    return weighted_sum(y, r);
  };
  objective();
  Tensor dx;
  layer.backward(r.view(), &dx);
  std::vector<Tensor> grads;
  for (const Param& p : layer.params()) grads.push_back(*p.grad);
  expect_gradient_matches(name + " dx", x, dx, objective);
  auto params = layer.params();
  for (size_t i = 0; i < params.size(); ++i)
    expect_gradient_matches(name + " d" + params[i].name, *params[i].value, grads[i], objective);
}

struct ConvCase {
  std::string name;
  ImageShape input;
  ConvParams params;
};
void PrintTo(const ConvCase& c, std::ostream* out) { *out << c.params.describe(c.name) << " on " << c.input.str(); }

ConvParams with_activation(ConvParams p, Activation act) {
  p.activation = act;
  return p;
}

std::vector<ConvCase> conv_cases() {
  auto p = [](int64_t in, int64_t out, Extent2 k, Extent2 s, Extent2 pad, Extent2 op, Extent2 d, bool bias) {
    ConvParams c;
    c.in_channels = in, c.out_channels = out, c.kernel = k, c.stride = s, c.padding = pad;
    c.output_padding = op, c.dilation = d, c.bias = bias;
    return c;
  };
  return {
      {"plain", {2, 5, 6}, p(2, 3, 3, 1, 0, 0, 1, true)},
      {"stride2_pad1_odd", {2, 7, 7}, p(2, 3, 3, 2, 1, 0, 1, true)},
      {"stride3_remainder", {1, 8, 7}, p(1, 2, 3, 3, 1, 0, 1, true)},
      {"dilated_rect_nobias", {2, 7, 6}, p(2, 2, {3, 2}, {1, 2}, {2, 0}, 0, {2, 1}, false)},
      {"kernel1", {3, 3, 4}, p(3, 2, 1, 1, 0, 0, 1, true)},
      // Fused activations (oneDNN post-ops), and softplus, which runs as a second pass.
      {"stride2_tanh", {2, 5, 5}, with_activation(p(2, 3, 3, 2, 1, 0, 1, true), Activation::Tanh)},
      {"softplus", {2, 4, 4}, with_activation(p(2, 2, 3, 1, 1, 0, 1, true), Activation::Softplus)},
  };
}

std::vector<ConvCase> conv_transpose_cases() {
  auto p = [](int64_t in, int64_t out, Extent2 k, Extent2 s, Extent2 pad, Extent2 op, Extent2 d, bool bias) {
    ConvParams c;
    c.in_channels = in, c.out_channels = out, c.kernel = k, c.stride = s, c.padding = pad;
    c.output_padding = op, c.dilation = d, c.bias = bias;
    return c;
  };
  return {
      {"plain", {2, 3, 4}, p(2, 3, 3, 1, 0, 0, 1, true)},
      {"stride2_pad1_outpad1", {3, 4, 4}, p(3, 2, 3, 2, 1, 1, 1, true)},
      {"stride3_outpad2_odd", {2, 3, 5}, p(2, 2, 3, 3, 1, 2, 1, true)},
      {"dilated_outpad_nobias", {2, 4, 3}, p(2, 2, 3, 1, 1, 1, 2, false)},
      {"rect", {2, 3, 4}, p(2, 3, {2, 3}, {2, 1}, {0, 1}, {1, 0}, 1, true)},
      {"stride2_sigmoid", {2, 3, 3}, with_activation(p(2, 2, 3, 2, 1, 1, 1, true), Activation::Sigmoid)},
      {"elu", {2, 3, 3}, with_activation(p(2, 2, 3, 1, 0, 0, 1, true), Activation::Elu)},
  };
}

Tensor random_images(int64_t n, const ImageShape& shape, uint64_t seed) {
  Rng rng(seed);
  return random_tensor({n, shape.size()}, rng);
}

class Conv2dGradcheck : public ::testing::TestWithParam<ConvCase> {};
TEST_P(Conv2dGradcheck, MatchesFiniteDifferences) {
  const ConvCase& c = GetParam();
  Conv2d layer(c.input, c.params);
  Rng rng(3);
  layer.reset_parameters(rng);
  check_layer("conv2d " + c.name, layer, random_images(2, c.input, 11));
}
INSTANTIATE_TEST_SUITE_P(Options, Conv2dGradcheck, ::testing::ValuesIn(conv_cases()),
                         [](const auto& info) { return info.param.name; });

class ConvTranspose2dGradcheck : public ::testing::TestWithParam<ConvCase> {};
TEST_P(ConvTranspose2dGradcheck, MatchesFiniteDifferences) {
  const ConvCase& c = GetParam();
  ConvTranspose2d layer(c.input, c.params);
  Rng rng(4);
  layer.reset_parameters(rng);
  check_layer("conv_transpose2d " + c.name, layer, random_images(2, c.input, 12));
}
INSTANTIATE_TEST_SUITE_P(Options, ConvTranspose2dGradcheck, ::testing::ValuesIn(conv_transpose_cases()),
                         [](const auto& info) { return info.param.name; });

// Distinct values 0.05 apart, shuffled: a perturbation of 5e-3 never changes a window's winner,
// so max pooling is differentiable at every probed point.
Tensor separated_images(int64_t n, const ImageShape& shape) {
  Tensor x({n, shape.size()});
  std::vector<int64_t> order(static_cast<size_t>(x.size()));
  std::iota(order.begin(), order.end(), 0);
  Rng rng(5);
  shuffle(order.begin(), order.end(), rng);
  for (int64_t i = 0; i < x.size(); ++i) x[i] = 0.05f * static_cast<float>(order[static_cast<size_t>(i)]) - 1.0f;
  return x;
}

TEST(MaxPool2dGradcheck, MatchesFiniteDifferences) {
  struct Case {
    std::string name;
    ImageShape input;
    MaxPoolParams params;
  };
  const std::vector<Case> cases{
      {"k2", {2, 5, 6}, {2, 0, 0, 1, false}},
      {"k3_stride2_pad1", {2, 7, 7}, {3, 2, 1, 1, false}},
      {"ceil_mode", {1, 8, 6}, {3, 2, 0, 1, true}},
      {"dilated", {2, 5, 6}, {2, 1, 0, 2, false}},
      {"rect_ceil_pad", {2, 5, 7}, {{2, 3}, {1, 2}, 1, 1, true}},
  };
  for (const Case& c : cases) {
    MaxPool2d layer(c.input, c.params);
    check_layer("max_pool2d " + c.name, layer, separated_images(2, c.input));
  }
}

TEST(UpsampleGradcheck, MatchesFiniteDifferences) {
  struct Case {
    std::string name;
    ImageShape input;
    UpsampleParams params;
  };
  const std::vector<Case> cases{
      {"nearest_x2", {2, 3, 4}, {UpsampleMode::Nearest, 2, 0, false}},
      {"nearest_size", {1, 3, 4}, {UpsampleMode::Nearest, 0, {7, 5}, false}},
      {"bilinear_x2", {2, 3, 4}, {UpsampleMode::Bilinear, 2, 0, false}},
      {"bilinear_align_size", {2, 3, 5}, {UpsampleMode::Bilinear, 0, {7, 4}, true}},
      {"bilinear_down", {1, 5, 6}, {UpsampleMode::Bilinear, 0, {3, 4}, false}},
  };
  for (const Case& c : cases) {
    Upsample layer(c.input, c.params);
    check_layer("upsample " + c.name, layer, random_images(2, c.input, 13));
  }
}

TEST(BatchNorm2dGradcheck, MatchesFiniteDifferencesWithBatchAndRunningStatistics) {
  const ImageShape shape{3, 3, 4};
  for (bool affine : {true, false}) {
    BatchNormParams p;
    p.channels = 3;
    p.affine = affine;
    BatchNorm2d layer(shape, p);
    Rng rng(6);
    if (affine)
      for (Tensor* t : {&layer.weight(), &layer.bias()})
        for (float& v : t->span()) v = rng.uniform(0.5f, 1.5f);
    const std::string name = affine ? "batch_norm2d" : "batch_norm2d no affine";
    check_layer(name + " train", layer, random_images(3, shape, 14), Mode::Train);
    for (float& v : layer.running_mean().span()) v = rng.uniform(-0.5f, 0.5f);
    for (float& v : layer.running_var().span()) v = rng.uniform(0.5f, 2.0f);
    check_layer(name + " infer", layer, random_images(3, shape, 15), Mode::Infer);
  }
}

TEST(FlattenReshapeGradcheck, AreIdentitiesOnTheBytes) {
  const ImageShape shape{2, 3, 4};
  Flatten flatten(shape);
  Reshape reshape(shape.size(), shape);
  check_layer("flatten", flatten, random_images(2, shape, 16));
  check_layer("reshape", reshape, random_images(2, shape, 17));
}

}  // namespace
}  // namespace aekit::test
