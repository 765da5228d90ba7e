#pragma once
// 2-D max pooling as PyTorch's nn.MaxPool2d: kernel, stride (default: the kernel), padding,
// dilation, ceil_mode, and PyTorch's output size
//   out = floor_or_ceil((in + 2*padding - dilation*(kernel-1) - 1) / stride) + 1,
// where with ceil_mode a last window that would start in the right padding is dropped.
#include <aekit/backend/cpu/max_pool.h>
#include <aekit/core/image_shape.h>
#include <aekit/layers/extent2.h>
#include <aekit/layers/layer.h>
#include <aekit/layers/layer_registry.h>

#include <cstdint>
#include <vector>

namespace aekit {

struct MaxPoolParams {
  Extent2 kernel{2};
  Extent2 stride{0};  // 0: the kernel size, as PyTorch's stride=None
  Extent2 padding{0};
  Extent2 dilation{1};
  bool ceil_mode = false;
  std::string describe() const;
};

ImageShape max_pool2d_output_shape(const MaxPoolParams& p, const ImageShape& in);

class MaxPool2d final : public Layer {
 public:
  MaxPool2d(const ImageShape& input, const MaxPoolParams& params);
  std::string kind() const override { return "max_pool2d"; }
  int64_t in_features() const override { return input_.size(); }
  int64_t out_features() const override { return output_.size(); }
  const ImageShape& input_shape() const { return input_; }
  const ImageShape& output_shape() const { return output_; }
  const MaxPoolParams& settings() const { return params_; }
  void forward(ConstMatrixView x, Tensor& y, Mode mode) override;
  void backward(ConstMatrixView dy, Tensor* dx) override;

 private:
  cpu::PoolGeometry geometry(int64_t n) const;
  MaxPoolParams params_;
  ImageShape input_, output_;
  std::vector<int32_t> argmax_;  // the winner of each output of the last forward
  int64_t rows_ = 0;
};

// Registry builder: max_pool2d(kernel=K, stride=K, padding=0, dilation=1, ceil_mode=false); sizes
// are a number or HxW.
LayerPlan plan_max_pool2d(const LayerSpec& spec, const Shape& in_shape);
BuiltLayer build_max_pool2d(const LayerBuild& b);

}  // namespace aekit
