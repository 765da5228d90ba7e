// Image models through the model file: every image layer kind (conv2d, batch_norm2d, max_pool2d,
// flatten, dense, reshape, upsample, conv_transpose2d) is stored as its spec and tensors, the
// batch norm's running statistics included, and the loaded model infers bit for bit as the saved
// one. Also: a file whose running statistics are missing is an error naming the tensor.
#include <aekit/core/error.h>
#include <aekit/models/conv_arch.h>
#include <aekit/models/trained_model.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cstring>
#include <sstream>

namespace aekit {
namespace {

ModelSpec every_image_layer() {
  ModelSpec spec;
  spec.input_shape = {2, 9, 8};
  spec.encoder = parse_layer_specs(
      "conv2d(out=4, kernel=3, padding=1, activation=relu, init=he_uniform) batch_norm2d(momentum=0.3) "
      "max_pool2d(kernel=2, ceil_mode=true) conv2d(out=3, kernel=2x3, stride=2, dilation=1, bias=false) "
      "flatten() dense(out=5, activation=tanh)",
      "encoder");
  spec.decoder = parse_layer_specs(
      "dense(out=24, activation=relu) reshape(channels=3, height=2, width=4) upsample(scale=2, mode=bilinear) "
      "conv_transpose2d(out=2, kernel=3, stride=2, padding=1, output_padding=1x0, activation=sigmoid) "
      "upsample(height=9, width=8)",
      "decoder");
  return spec;
}

Tensor images(int64_t n, int64_t features) {
  Tensor x({n, features});
  for (int64_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>((i * 37) % 101) / 101.0f;
  return x;
}

TEST(ConvModelRoundTrip, EveryImageLayerAndTheRunningStatisticsSurvive) {
  TrainedModel model;
  model.network = std::make_unique<Autoencoder>(every_image_layer(), 3);
  const Tensor x = images(4, model.network->input_size());
  model.network->forward(x.view(), Mode::Train);  // moves the running statistics off 0 and 1
  const std::vector<Param> buffers = model.network->buffers();
  ASSERT_EQ(buffers.size(), 3u);
  EXPECT_EQ(buffers[0].name, "encoder.1.running_mean");
  EXPECT_NE(buffers[0].value->data()[0], 0.0f);

  std::stringstream file;
  write_model(file, to_model_file(model));
  TrainedModel loaded = from_model_file(read_model(file, "memory"), "memory");
  EXPECT_EQ(loaded.network->spec(), model.network->spec());
  const std::vector<Param> loaded_buffers = loaded.network->buffers();
  for (size_t i = 0; i < buffers.size(); ++i) {
    EXPECT_EQ(loaded_buffers[i].name, buffers[i].name);
    EXPECT_EQ(loaded_buffers[i].value->shape(), buffers[i].value->shape());
    for (int64_t k = 0; k < buffers[i].value->size(); ++k)
      EXPECT_EQ(loaded_buffers[i].value->data()[k], buffers[i].value->data()[k]) << buffers[i].name;
  }
  const Tensor a = model.network->reconstruct(x.view()), b = loaded.network->reconstruct(x.view());
  ASSERT_EQ(a.shape(), b.shape());
  for (int64_t i = 0; i < a.size(); ++i) ASSERT_EQ(a[i], b[i]) << i;
  // The code and the decoder too, as encode and decode use them.
  const Tensor code = loaded.network->encode(x.view());
  EXPECT_EQ(code.cols(), 5);
  EXPECT_EQ(loaded.network->decode(code.view()).cols(), 2 * 9 * 8);
}

TEST(ConvModelRoundTrip, MissingRunningStatisticsAreAnError) {
  TrainedModel model;
  model.network = std::make_unique<Autoencoder>(every_image_layer(), 3);
  ModelFile file = to_model_file(model);
  std::erase_if(file.tensors, [](const NamedTensor& t) { return t.name == "encoder.1.running_var"; });
  try {
    from_model_file(file, "m.aek");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("encoder.1.running_var"));
  }
}

// PyTorch stores BatchNorm2d's num_batches_tracked as int64; so does aekit's model file (it is a
// float in memory). Files written before, with an F32 count, still load.
TEST(ConvModelRoundTrip, NumBatchesTrackedIsStoredAsInt64AndFloatCountsStillLoad) {
  TrainedModel model;
  model.network = std::make_unique<Autoencoder>(every_image_layer(), 3);
  const Tensor x = images(4, model.network->input_size());
  for (int step = 0; step < 3; ++step) model.network->forward(x.view(), Mode::Train);
  const std::string name = "encoder.1.num_batches_tracked";

  std::stringstream file;
  write_model(file, to_model_file(model));
  const std::string bytes = file.str();
  uint64_t n = 0;
  std::memcpy(&n, bytes.data(), 8);
  const auto header = nlohmann::json::parse(bytes.substr(8, n));
  EXPECT_EQ(header[name]["dtype"], "I64");
  const uint64_t begin = header[name]["data_offsets"][0], end = header[name]["data_offsets"][1];
  ASSERT_EQ(end - begin, 8u);
  int64_t stored = 0;
  std::memcpy(&stored, bytes.data() + 8 + n + begin, 8);
  EXPECT_EQ(stored, 3);
  EXPECT_EQ(header["encoder.1.running_mean"]["dtype"], "F32");

  auto count_of = [&](const TrainedModel& m) {
    for (const Param& p : m.network->buffers())
      if (p.name == name) return p.value->data()[0];
    return -1.0f;
  };
  EXPECT_EQ(count_of(from_model_file(read_model(file, "memory"), "memory")), 3.0f);

  // An older file: every tensor F32.
  ModelFile old = to_model_file(model);
  for (NamedTensor& t : old.tensors) t.integer = false;
  std::stringstream old_file;
  write_model(old_file, old);
  EXPECT_NE(old_file.str().find("\"" + name + "\":{\"dtype\":\"F32\""), std::string::npos);
  EXPECT_EQ(count_of(from_model_file(read_model(old_file, "old.aek"), "old.aek")), 3.0f);

  // A count must be a whole number to be stored as one.
  ModelFile bad = to_model_file(model);
  for (NamedTensor& t : bad.tensors)
    if (t.integer) t.tensor[0] = 2.5f;
  std::stringstream bad_file;
  EXPECT_THROW(write_model(bad_file, bad), InputError);
  EXPECT_TRUE(bad_file.str().empty());
}

}  // namespace
}  // namespace aekit
