#pragma once
// nn.Upsample: nearest or bilinear resizing of images to an integer scale factor or an explicit
// size, with PyTorch's source-index rules (backend/cpu/upsample.h); bilinear takes align_corners.
// out = in * scale, or the size given.
#include <aekit/core/image_shape.h>
#include <aekit/layers/extent2.h>
#include <aekit/layers/layer.h>
#include <aekit/layers/layer_registry.h>

namespace aekit {

enum class UpsampleMode { Nearest, Bilinear };

struct UpsampleParams {
  UpsampleMode mode = UpsampleMode::Nearest;
  Extent2 scale{0};  // integer scale factor, or 0 when `size` is given
  Extent2 size{0};   // output height and width, or 0 when `scale` is given
  bool align_corners = false;  // bilinear only
  std::string describe() const;
};

ImageShape upsample_output_shape(const UpsampleParams& p, const ImageShape& in);

class Upsample final : public Layer {
 public:
  Upsample(const ImageShape& input, const UpsampleParams& params);
  std::string kind() const override { return "upsample"; }
  int64_t in_features() const override { return input_.size(); }
  int64_t out_features() const override { return output_.size(); }
  const ImageShape& input_shape() const { return input_; }
  const ImageShape& output_shape() const { return output_; }
  const UpsampleParams& settings() const { return params_; }
  void forward(ConstMatrixView x, Tensor& y, Mode mode) override;
  void backward(ConstMatrixView dy, Tensor* dx) override;

 private:
  UpsampleParams params_;
  ImageShape input_, output_;
  int64_t rows_ = 0;
};

// Registry builder: upsample(scale=S | height=H, width=W, mode=nearest|bilinear,
// align_corners=false); the scale is a number or HxW.
LayerPlan plan_upsample(const LayerSpec& spec, const Shape& in_shape);
BuiltLayer build_upsample(const LayerBuild& b);

}  // namespace aekit
