// Proves that the image layers compute what PyTorch computes: outputs, input gradients and
// parameter gradients against fixtures made by scripts/make-conv-fixtures.py (PyTorch autograd),
// for each configuration there. A missing fixture fails the test; it is never skipped.
#include <aekit/layers/activation.h>
#include <aekit/layers/batch_norm2d.h>
#include <aekit/layers/conv2d.h>
#include <aekit/layers/conv_transpose2d.h>
#include <aekit/layers/max_pool2d.h>
#include <aekit/layers/upsample.h>

#include "torch_fixture.h"

#include <gtest/gtest.h>

#include <memory>

namespace aekit {
namespace {

using nlohmann::json;
using test::expect_close_to_fixture;
using test::fixture_tensor;

json fixture(const std::string& file) { return test::load_torch_fixture("conv", file, "make-conv-fixtures.py"); }

Extent2 extent(const json& j) { return {j[0].get<int64_t>(), j[1].get<int64_t>()}; }
ImageShape image(const json& nchw) { return {nchw[1], nchw[2], nchw[3]}; }
Shape batch(const json& nchw) { return {nchw[0].get<int64_t>(), image(nchw).size()}; }

// Forward on the case's x, compare y; backward of its dy, compare dx. Returns nothing: the
// parameter gradients are compared by the caller, which knows their names.
void check_forward_backward(Layer& layer, const json& c, Mode mode = Mode::Train) {
  const std::string name = c.value("name", std::string("case"));
  Tensor x = fixture_tensor(c["x"], batch(c["input_shape"]));
  Tensor y;
  layer.forward(x.view(), y, mode);
  ASSERT_EQ(y.cols(), image(c["output_shape"]).size()) << name;
  expect_close_to_fixture(name + " y", y, c["y"]);
  Tensor dy = fixture_tensor(c["dy"], batch(c["output_shape"]));
  Tensor dx;
  layer.backward(dy.view(), &dx);
  expect_close_to_fixture(name + " dx", dx, c["dx"]);
}

ConvParams conv_params(const json& c) {
  ConvParams p;
  p.in_channels = c["in_channels"];
  p.out_channels = c["out_channels"];
  p.kernel = extent(c["kernel"]);
  p.stride = extent(c["stride"]);
  p.padding = extent(c["padding"]);
  p.output_padding = extent(c["output_padding"]);
  p.dilation = extent(c["dilation"]);
  p.bias = c["with_bias"];
  p.activation = parse_activation(c["activation"]);
  return p;
}

template <typename ConvLayer>
void check_conv_case(const json& c) {
  const std::string name = c["name"];
  ConvLayer layer(image(c["input_shape"]), conv_params(c));
  EXPECT_EQ(layer.output_shape(), image(c["output_shape"])) << name;
  layer.weight() = fixture_tensor(c["weight"], layer.weight().shape());
  if (layer.settings().bias) layer.bias() = fixture_tensor(c["bias"], layer.bias().shape());
  check_forward_backward(layer, c);
  const auto params = layer.params();
  expect_close_to_fixture(name + " dweight", *params[0].grad, c["dweight"]);
  if (layer.settings().bias) expect_close_to_fixture(name + " dbias", *params[1].grad, c["dbias"]);
}

TEST(ConvLayersParity, Conv2dAndConvTranspose2dMatchPyTorch) {
  const json f = fixture("conv.json");
  ASSERT_GE(f["cases"].size(), 10u);
  for (const json& c : f["cases"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    if (c["layer"] == "conv2d") check_conv_case<Conv2d>(c);
    else check_conv_case<ConvTranspose2d>(c);
  }
}

TEST(ConvLayersParity, MaxPool2dMatchesPyTorch) {
  for (const json& c : fixture("max_pool.json")["cases"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    MaxPoolParams p;
    p.kernel = extent(c["kernel"]);
    p.stride = extent(c["stride"]);
    p.padding = extent(c["padding"]);
    p.dilation = extent(c["dilation"]);
    p.ceil_mode = c["ceil_mode"];
    MaxPool2d layer(image(c["input_shape"]), p);
    EXPECT_EQ(layer.output_shape(), image(c["output_shape"]));
    check_forward_backward(layer, c);
  }
}

TEST(ConvLayersParity, UpsampleMatchesPyTorch) {
  for (const json& c : fixture("upsample.json")["cases"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    UpsampleParams p;
    p.mode = c["mode"] == "nearest" ? UpsampleMode::Nearest : UpsampleMode::Bilinear;
    p.scale = extent(c["scale"]);
    p.size = extent(c["size"]);
    p.align_corners = c["align_corners"];
    Upsample layer(image(c["input_shape"]), p);
    EXPECT_EQ(layer.output_shape(), image(c["output_shape"]));
    check_forward_backward(layer, c);
  }
}

TEST(ConvLayersParity, BatchNorm2dMatchesPyTorchInTrainingAndInference) {
  for (const json& c : fixture("batch_norm.json")["cases"]) {
    const std::string name = c["name"];
    SCOPED_TRACE(name);
    BatchNormParams p;
    p.channels = 3;
    p.eps = c["eps"];
    if (c["momentum"].is_null()) p.momentum.reset();
    else p.momentum = c["momentum"].get<float>();
    p.affine = c["affine"];
    const ImageShape shape = image(c["steps"][0]["input_shape"]);
    BatchNorm2d layer(shape, p);
    if (p.affine) {
      layer.weight() = fixture_tensor(c["initial"]["weight"], {3});
      layer.bias() = fixture_tensor(c["initial"]["bias"], {3});
    }
    for (const json& step : c["steps"]) {
      check_forward_backward(layer, step);
      expect_close_to_fixture(name + " running_mean", layer.running_mean(), step["running_mean"]);
      expect_close_to_fixture(name + " running_var", layer.running_var(), step["running_var"]);
      if (p.affine) {
        expect_close_to_fixture(name + " dweight", *layer.params()[0].grad, step["dweight"]);
        expect_close_to_fixture(name + " dbias", *layer.params()[1].grad, step["dbias"]);
      }
    }
    const json& e = c["eval"];
    Tensor x = fixture_tensor(e["x"], {2, shape.size()});
    Tensor y;
    layer.forward(x.view(), y, Mode::Infer);
    expect_close_to_fixture(name + " inference y", y, e["y"]);
  }
}

}  // namespace
}  // namespace aekit
