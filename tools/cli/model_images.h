#pragma once
// How the verbs that draw a model's inputs or outputs as pictures (reconstruct, generate) find the
// image shape and lay out images that have several channels.
#include <aekit/core/image_shape.h>
#include <aekit/core/tensor.h>
#include <aekit/models/trained_model.h>

#include <string>
#include <vector>

namespace aekit::cli {

// The shape of one input image: the model's input shape when it is C x H x W (image models record
// it in their architecture), else the 1-channel image size of the training data, else none.
ImageShape model_image_shape(const TrainedModel& model);
// The image shape to draw with; fails unless the model was trained on images.
ImageShape require_images(const TrainedModel& model);
// Each C x H x W image as one H x (C*W) greyscale tile, its channels side by side.
Tensor channels_side_by_side(const Tensor& images, const ImageShape& shape);
// Rows [begin, begin + count) of a matrix, copied.
Tensor copy_rows(const Tensor& m, int64_t begin, int64_t count);
// Writes the grid rows (images in [0, 1]) as the shape says: 3 channels in colour (red, green,
// blue), any other count greyscale with the channels side by side; each pixel drawn 2x2.
void write_image_grid(const std::string& png, std::vector<Tensor>& rows, const ImageShape& shape);

}  // namespace aekit::cli
