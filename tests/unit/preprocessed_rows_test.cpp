// uint8 data kept as bytes until a batch is formed (data/preprocessed_rows.h) must give training
// exactly what the float copy gave: the same statistics, the same floats bit for bit, the same
// fingerprint, and so the same weights after training.
#include <aekit/core/error.h>
#include <aekit/core/rng.h>
#include <aekit/data/dataset.h>
#include <aekit/data/idx.h>
#include <aekit/data/npy.h>
#include <aekit/data/preprocess.h>
#include <aekit/losses/loss.h>
#include <aekit/models/dense_arch.h>
#include <aekit/train/checkpoint.h>
#include <aekit/train/output_range.h>
#include <aekit/data/preprocessed_rows.h>
#include <aekit/train/trainer.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>

namespace aekit {
namespace {

namespace fs = std::filesystem;

// Rows of bytes with a structure an autoencoder can learn, some features constant (a zero range
// or standard deviation) and the full 0..255 range in others.
ByteMatrix sample_bytes(int64_t rows, int64_t cols, uint64_t seed) {
  ByteMatrix m({rows, cols});
  Rng rng(seed);
  for (int64_t r = 0; r < rows; ++r) {
    const float level = rng.uniform(0, 1);
    for (int64_t c = 0; c < cols; ++c) {
      const float v = c == 0 ? 7.0f : 255.0f * (0.5f * level + 0.5f * rng.uniform(0, 1) * static_cast<float>(c % 3) / 2);
      m.data()[r * cols + c] = static_cast<uint8_t>(v);
    }
  }
  return m;
}

bool rows_same_bits(const float* a, const float* b, int64_t n) {
  return std::memcmp(a, b, static_cast<size_t>(n) * sizeof(float)) == 0;
}

DenseArch twelve_inputs() {
  DenseArch arch;
  arch.encoder = {12, 6, 3};
  return arch;
}

TEST(PreprocessedRows, BytesGiveTheFloatsOfTheFloatPathBitForBit) {
  const ByteMatrix bytes = sample_bytes(50, 12, 1);
  const ModelSpec sigmoid_output = twelve_inputs().to_spec();
  for (PreprocessKind kind : {PreprocessKind::None, PreprocessKind::Scale, PreprocessKind::MinMax, PreprocessKind::ZScore}) {
    SCOPED_TRACE(preprocess_kind_name(kind));
    Tensor floats = bytes.to_floats();
    const Preprocessor from_floats = Preprocessor::fit(kind, floats);
    const Preprocessor from_bytes = Preprocessor::fit(kind, bytes);
    EXPECT_EQ(from_floats.to_json().dump(), from_bytes.to_json().dump());
    from_floats.apply(floats);
    const PreprocessedRows rows(bytes, from_bytes);
    EXPECT_TRUE(rows_same_bits(rows.to_tensor().data(), floats.data(), floats.size()));
    const std::vector<int64_t> ids{49, 0, 17, 17, 3};
    Tensor gathered;
    rows.gather(ids, gathered);
    ASSERT_EQ(gathered.rows(), 5);
    for (size_t i = 0; i < ids.size(); ++i)
      EXPECT_TRUE(rows_same_bits(gathered.row(static_cast<int64_t>(i)), floats.row(ids[i]), 12)) << "row " << ids[i];
    EXPECT_EQ(data_fingerprint(rows), data_fingerprint(floats.view()));
    EXPECT_EQ(output_range_warning(sigmoid_output, rows, "x"), output_range_warning(sigmoid_output, floats, "x"));
  }
}

// The byte path divides by a reciprocal where that was checked to give the division's floats for
// all 256 bytes, and divides otherwise: every byte value against the float path, for divisors
// whose reciprocal is exact (powers of two), inexact (255, 7, ...), subnormal or infinite (1e-40,
// 3e38), and per-feature statistics with fractional offsets.
TEST(PreprocessedRows, EveryByteValueGivesTheFloatPathsQuotient) {
  const int64_t features = 40;
  ByteMatrix bytes({256, features});
  for (int64_t b = 0; b < 256; ++b)
    for (int64_t c = 0; c < features; ++c) bytes.data()[b * features + c] = static_cast<uint8_t>(b);
  std::vector<nlohmann::json> stats;
  for (double max_abs : {255.0, 1.0, 7.0, 3.0, 100.0, 254.5, 1e-3, 0.3, 1e-40, 3e38})
    stats.push_back({{"kind", "scale"}, {"features", features}, {"max_abs", max_abs}});
  Rng rng(11);
  for (const char* kind : {"minmax", "zscore"}) {
    std::vector<float> offset, divisor;
    for (int64_t c = 0; c < features; ++c) {
      offset.push_back(c % 4 == 0 ? static_cast<float>(c) : rng.uniform(-50, 200));
      divisor.push_back(c % 5 == 0 ? 64.0f : rng.uniform(0.01f, 300.0f));
    }
    const bool minmax = std::string(kind) == "minmax";
    stats.push_back({{"kind", kind}, {"features", features}, {minmax ? "min" : "mean", offset}, {minmax ? "range" : "std", divisor}});
  }
  for (const nlohmann::json& j : stats) {
    SCOPED_TRACE(j.dump());
    const Preprocessor p = Preprocessor::from_json(j, "test");
    Tensor floats = bytes.to_floats();
    p.apply(floats);
    const PreprocessedRows rows(bytes, p);
    EXPECT_TRUE(rows_same_bits(rows.to_tensor().data(), floats.data(), floats.size()));
  }
}

TEST(PreprocessedRows, TrainingOnBytesGivesTheWeightsOfTrainingOnFloats) {
  const ByteMatrix bytes = sample_bytes(200, 12, 2);
  Tensor floats = bytes.to_floats();
  const Preprocessor scale = Preprocessor::fit(PreprocessKind::Scale, bytes);
  scale.apply(floats);
  const DenseArch arch = twelve_inputs();
  TrainConfig config;
  config.epochs = 3;
  config.batch_size = 32;
  config.validation_split = 0.2f;
  config.optimizer = OptimizerConfig::defaults_for("adam");
  auto loss = make_loss("mse");
  Autoencoder on_floats(arch.to_spec(), 5), on_bytes(arch.to_spec(), 5);
  const TrainResult a = train(on_floats, floats, *loss, config);
  const TrainResult b = train(on_bytes, PreprocessedRows(bytes, scale), *loss, config);
  ASSERT_EQ(a.history.size(), b.history.size());
  for (size_t e = 0; e < a.history.size(); ++e) {
    EXPECT_EQ(a.history[e].train_loss, b.history[e].train_loss);
    EXPECT_EQ(a.history[e].val_loss, b.history[e].val_loss);
  }
  const std::vector<Param> pa = on_floats.params(), pb = on_bytes.params();
  ASSERT_EQ(pa.size(), pb.size());
  for (size_t i = 0; i < pa.size(); ++i)
    EXPECT_TRUE(rows_same_bits(pa[i].value->data(), pb[i].value->data(), pa[i].value->size())) << pa[i].name;
}

TEST(PreprocessedRows, Uint8FilesLoadAsBytesOnlyWhenAsked) {
  const fs::path dir = fs::path(::testing::TempDir()) / ("aekit_preprocessed_rows_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const ByteMatrix bytes = sample_bytes(4, 6, 3);
  Tensor images = bytes.to_floats();
  images.resize({4, 2, 3});
  const std::string npy = (dir / "images.npy").string();
  write_npy(npy, images, NpyDtype::UInt8);
  const Dataset as_floats = load_dataset(npy);
  const Dataset as_bytes = load_dataset(npy, {}, Uint8Data::AsBytes);
  EXPECT_FALSE(as_floats.bytes);
  ASSERT_TRUE(as_bytes.bytes);
  EXPECT_TRUE(as_bytes.x.empty());
  EXPECT_EQ(as_bytes.rows(), 4);
  EXPECT_EQ(as_bytes.cols(), 6);
  EXPECT_EQ(as_bytes.image_height, 2);
  EXPECT_EQ(as_bytes.image_width, 3);
  EXPECT_TRUE(rows_same_bits(as_bytes.bytes->to_floats().data(), as_floats.x.data(), 24));

  // Floats stay floats, asked or not.
  const std::string float_npy = (dir / "floats.npy").string();
  write_npy(float_npy, images);
  const Dataset floats = load_dataset(float_npy, {}, Uint8Data::AsBytes);
  EXPECT_FALSE(floats.bytes);
  EXPECT_EQ(floats.x.cols(), 6);

  // An IDX file cut short fails as it does when read as floats, raw or compressed.
  std::string idx{0, 0, 8, 2, 0, 0, 0, 3, 0, 0, 0, 4};
  idx += std::string(11, '\x05');  // one byte short of 3 x 4
  const std::string cut = (dir / "cut-idx3-ubyte").string();
  std::ofstream(cut, std::ios::binary) << idx;
  EXPECT_THROW(read_idx_values(cut, true), InputError);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace aekit
