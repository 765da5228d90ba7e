#include "model_images.h"

#include <aekit/core/error.h>
#include <aekit/io/png_grid.h>

#include <algorithm>

namespace aekit::cli {

ImageShape model_image_shape(const TrainedModel& model) {
  const Shape& in = model.network->spec().input_shape;
  if (in.size() == 3) return {in[0], in[1], in[2]};
  if (model.image_height > 0) return {1, model.image_height, model.image_width};
  return {};
}

Tensor channels_side_by_side(const Tensor& images, const ImageShape& shape) {
  Tensor out({images.rows(), images.cols()});
  for (int64_t i = 0; i < images.rows(); ++i)
    for (int64_t c = 0; c < shape.channels; ++c)
      for (int64_t y = 0; y < shape.height; ++y)
        std::copy_n(images.row(i) + (c * shape.height + y) * shape.width, shape.width,
                    out.row(i) + (y * shape.channels + c) * shape.width);
  return out;
}

ImageShape require_images(const TrainedModel& model) {
  const ImageShape shape = model_image_shape(model);
  if (shape.channels == 0)
    fail("--png: the model was not trained on images (its data had no image shape); use --out FILE.npy");
  return shape;
}

Tensor copy_rows(const Tensor& m, int64_t begin, int64_t count) {
  Tensor out({count, m.cols()});
  std::copy_n(m.row(begin), count * m.cols(), out.data());
  return out;
}

void write_image_grid(const std::string& png, std::vector<Tensor>& rows, const ImageShape& shape) {
  const bool side_by_side = shape.channels != 1 && shape.channels != 3;
  std::vector<ConstMatrixView> grid;
  for (Tensor& row : rows) {
    if (side_by_side) row = channels_side_by_side(row, shape);
    grid.push_back(row.view());
  }
  if (shape.channels == 3)
    write_rgb_png_grid(png, grid, shape.height, shape.width, 2, 2);
  else
    write_png_grid(png, grid, shape.height, side_by_side ? shape.channels * shape.width : shape.width, 2, 2);
}

}  // namespace aekit::cli
