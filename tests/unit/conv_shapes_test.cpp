// Output shapes of the image layers by PyTorch's formulas (the parity fixtures prove them against
// PyTorch for their cases; these cover the reference architecture and the edges), and the one-line
// InputError, naming the layer and the sizes, when a shape does not fit.
#include <aekit/core/error.h>
#include <aekit/layers/batch_norm2d.h>
#include <aekit/layers/conv2d.h>
#include <aekit/layers/conv_transpose2d.h>
#include <aekit/layers/flatten.h>
#include <aekit/layers/max_pool2d.h>
#include <aekit/layers/reshape.h>
#include <aekit/layers/upsample.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace aekit {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

ConvParams conv(int64_t in, int64_t out, Extent2 k, Extent2 s = 1, Extent2 p = 0, Extent2 op = 0, Extent2 d = 1) {
  ConvParams c;
  c.in_channels = in, c.out_channels = out, c.kernel = k, c.stride = s, c.padding = p;
  c.output_padding = op, c.dilation = d;
  return c;
}

template <typename F>
std::string conv_shape_error(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no InputError)";
}

TEST(ConvShapes, ReferenceArchitectureRoundTripsMnist) {
  // Conv(1,16,3,s2,p1) -> Conv(16,32,3,s2,p1) and the mirror with output_padding 1.
  const ImageShape a = conv2d_output_shape(conv(1, 16, 3, 2, 1), {1, 28, 28});
  EXPECT_EQ(a, (ImageShape{16, 14, 14}));
  const ImageShape b = conv2d_output_shape(conv(16, 32, 3, 2, 1), a);
  EXPECT_EQ(b, (ImageShape{32, 7, 7}));
  EXPECT_EQ(b.size(), 1568);
  const ImageShape c = conv_transpose2d_output_shape(conv(32, 16, 3, 2, 1, 1), b);
  EXPECT_EQ(c, (ImageShape{16, 14, 14}));
  EXPECT_EQ(conv_transpose2d_output_shape(conv(16, 1, 3, 2, 1, 1), c), (ImageShape{1, 28, 28}));
}

TEST(ConvShapes, FollowPyTorchFormulas) {
  // floor((7 + 2 - 2*(3-1) - 1) / 2) + 1 = 3 (rows), floor((8 + 0 - 1*(2-1) - 1) / 1) + 1 = 7
  EXPECT_EQ(conv2d_output_shape(conv(2, 5, {3, 2}, {2, 1}, {1, 0}, 0, {2, 1}), {2, 7, 8}), (ImageShape{5, 3, 7}));
  // (5-1)*3 - 2*1 + 2*(3-1) + 2 + 1 = 17
  EXPECT_EQ(conv_transpose2d_output_shape(conv(1, 1, 3, 3, 1, 2, 2), {1, 5, 5}), (ImageShape{1, 17, 17}));
  EXPECT_EQ(max_pool2d_output_shape({3, 2, 0, 1, true}, {4, 8, 6}), (ImageShape{4, 4, 3}));
  EXPECT_EQ(max_pool2d_output_shape({3, 2, 0, 1, false}, {4, 8, 6}), (ImageShape{4, 3, 2}));
  EXPECT_EQ(max_pool2d_output_shape({2, 0, 0, 1, false}, {1, 7, 7}), (ImageShape{1, 3, 3}));
  EXPECT_EQ(upsample_output_shape({UpsampleMode::Nearest, {3, 2}, 0, false}, {2, 4, 5}), (ImageShape{2, 12, 10}));
  EXPECT_EQ(upsample_output_shape({UpsampleMode::Bilinear, 0, {9, 4}, true}, {2, 4, 5}), (ImageShape{2, 9, 4}));
}

TEST(ConvShapes, MisfitsAreInputErrorsNamingTheLayerAndSizes) {
  EXPECT_THAT(conv_shape_error([] { Conv2d({1, 2, 2}, conv(1, 4, 5)); }),
              AllOf(HasSubstr("conv2d(1->4, kernel 5)"), HasSubstr("1x2x2"), HasSubstr("5x5")));
  EXPECT_THAT(conv_shape_error([] { Conv2d({3, 28, 28}, conv(1, 4, 3)); }),
              AllOf(HasSubstr("conv2d"), HasSubstr("3x28x28"), HasSubstr("expects 1")));
  EXPECT_THAT(conv_shape_error([] { ConvTranspose2d({4, 3, 3}, conv(4, 2, 3, 2, 1, 2)); }),
              AllOf(HasSubstr("conv_transpose2d"), HasSubstr("output_padding")));
  EXPECT_THAT(conv_shape_error([] { ConvTranspose2d({1, 1, 1}, conv(1, 1, 1, 1, 1)); }),
              AllOf(HasSubstr("conv_transpose2d"), HasSubstr("empty output -1x-1")));
  EXPECT_THAT(conv_shape_error([] { Conv2d({1, 8, 8}, conv(1, 2, 0)); }), HasSubstr("kernel must be positive"));
  EXPECT_THAT(conv_shape_error([] { MaxPool2d({1, 8, 8}, {2, 0, 2, 1, false}); }),
              AllOf(HasSubstr("max_pool2d(kernel 2, padding 2)"), HasSubstr("half the kernel")));
  EXPECT_THAT(conv_shape_error([] { MaxPool2d({1, 1, 3}, {2, 0, 0, 1, false}); }),
              AllOf(HasSubstr("1x1x3"), HasSubstr("empty output 0x1")));
  EXPECT_THAT(conv_shape_error([] { Reshape(100, {1, 28, 28}); }),
              AllOf(HasSubstr("reshape to 1x28x28"), HasSubstr("100 features"), HasSubstr("784")));
  EXPECT_THAT(conv_shape_error([] { Upsample({1, 4, 4}, {UpsampleMode::Nearest, 2, {8, 8}, false}); }),
              HasSubstr("either a positive scale factor or a positive size"));
  BatchNormParams bn;
  bn.channels = 4;
  EXPECT_THAT(conv_shape_error([&] { BatchNorm2d({3, 4, 4}, bn); }),
              AllOf(HasSubstr("batch_norm2d(4)"), HasSubstr("3x4x4")));
}

TEST(ConvShapes, BatchNormRefusesToTrainOnOneValuePerChannel) {
  BatchNormParams p;
  p.channels = 2;
  BatchNorm2d layer({2, 1, 1}, p);
  Tensor x({1, 2}), y;
  EXPECT_THAT(conv_shape_error([&] { layer.forward(x.view(), y, Mode::Train); }), HasSubstr("more than one value"));
  layer.forward(x.view(), y, Mode::Infer);  // inference uses the running statistics: fine
}

}  // namespace
}  // namespace aekit
