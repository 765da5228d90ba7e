#include <aekit/layers/blocked_dense_link.h>

#include <aekit/backend/cpu/convolution.h>
#include <aekit/core/error.h>
#include <aekit/layers/conv_layer.h>
#include <aekit/layers/dense.h>

namespace aekit {

std::vector<int64_t> blocked_image_positions(const ImageShape& image) {
  const int64_t block = cpu::image_channel_block();
  AEKIT_ASSERT(cpu::can_block_channels(image.channels), "blocked_image_positions: ", image.channels,
               " channels do not fill blocks of ", block);
  std::vector<int64_t> position(static_cast<size_t>(image.size()));
  const int64_t pixels = image.pixels();
  for (int64_t c = 0; c < image.channels; ++c)
    for (int64_t p = 0; p < pixels; ++p)
      position[static_cast<size_t>(c * pixels + p)] = (c / block) * pixels * block + p * block + c % block;
  return position;
}

bool link_blocked_dense(Layer& producer, Layer& consumer) {
  if (auto* conv = dynamic_cast<ConvLayer*>(&producer)) {
    auto* dense = dynamic_cast<Dense*>(&consumer);
    if (!dense || dense->reads_reordered_input() || conv->out_layout_ != cpu::ImageLayout::Plain ||
        dense->in_features() != conv->out_features() || !cpu::can_block_channels(conv->output_.channels))
      return false;
    conv->out_layout_ = cpu::ImageLayout::Blocked;
    dense->set_input_positions(blocked_image_positions(conv->output_));
    return true;
  }
  auto* dense = dynamic_cast<Dense*>(&producer);
  auto* conv = dynamic_cast<ConvLayer*>(&consumer);
  if (!dense || !conv || dense->writes_reordered_output() || conv->in_layout_ != cpu::ImageLayout::Plain ||
      dense->out_features() != conv->in_features() || !cpu::can_block_channels(conv->input_.channels))
    return false;
  conv->in_layout_ = cpu::ImageLayout::Blocked;
  dense->set_output_positions(blocked_image_positions(conv->input_));
  return true;
}

}  // namespace aekit
