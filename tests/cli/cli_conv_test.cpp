// Convolutional models on the command line, on small generated images: the layer-token --arch
// with its mirrored decoder (or an explicit --decoder), the shapes printed at the start of
// training, every verb on the saved model, and bad input (an image size that does not match,
// shapes that do not fit, a typo in the tokens) as one line and exit code 2 with nothing written.
#include "cli_runner.h"

#include <aekit/core/rng.h>
#include <aekit/data/npy.h>
#include <nlohmann/json.hpp>

namespace aekit::test {

namespace {

// n grayscale size x size images (uint8, N x H x W, so the data says it holds images): a bright
// bar at a random row or column on a dark background.
void write_bar_images(const std::string& path, int n, int size) {
  Rng rng(3);
  Tensor x({n, size, size});
  for (int i = 0; i < n; ++i) {
    const int at = static_cast<int>(rng.uniform() * static_cast<float>(size));
    const bool row = rng.uniform() < 0.5f;
    for (int r = 0; r < size; ++r)
      for (int c = 0; c < size; ++c) x[(i * size + r) * size + c] = (row ? r : c) == at ? 250.0f : 10.0f;
  }
  write_npy(path, x, NpyDtype::UInt8);
}

const std::string kArch = "--arch conv4k3s2p1,relu,conv8k3s2p1,relu,flatten,dense6";
const std::string kConvTrain = "train --data img.npy " + kArch +
                           " --optimizer adam --lr 0.01 --batch-size 16 --epochs 3 --seed 1 --out m.aek";

TEST(CliConv, TrainsPrintsShapesAndEveryVerbWorks) {
  ScratchDir dir;
  write_bar_images(dir / "img.npy", 96, 8);
  auto train = run_aekit(dir, kConvTrain);
  ASSERT_EQ(train.exit_code, 0) << train.err;
  EXPECT_NE(train.err.find("1x8x8-4x4x4-8x2x2-32-6-32-8x2x2-4x4x4-1x8x8"), std::string::npos) << train.err;
  EXPECT_NE(train.err.find("encoder conv2d(activation=relu, kernel=3, out=4, padding=1, stride=2) -> 4x4x4"),
            std::string::npos) << train.err;
  EXPECT_NE(train.err.find("decoder conv_transpose2d(activation=sigmoid, kernel=3, out=1, output_padding=1, "
                           "padding=1, stride=2) -> 1x8x8"),
            std::string::npos) << train.err;

  auto eval = run_aekit(dir, "eval m.aek --data img.npy --json");
  ASSERT_EQ(eval.exit_code, 0) << eval.err;
  EXPECT_EQ(nlohmann::json::parse(eval.out).at("samples").get<int>(), 96);

  auto encode = run_aekit(dir, "encode m.aek --data img.npy --out codes.npy");
  ASSERT_EQ(encode.exit_code, 0) << encode.err;
  EXPECT_EQ(read_npy(dir / "codes.npy").shape(), (Shape{96, 6}));
  auto decode = run_aekit(dir, "decode m.aek --data codes.npy --out decoded.npy");
  ASSERT_EQ(decode.exit_code, 0) << decode.err;
  auto recon = run_aekit(dir, "reconstruct m.aek --data img.npy --out recon.npy --png grid.png");
  ASSERT_EQ(recon.exit_code, 0) << recon.err;
  const Tensor decoded = read_npy(dir / "decoded.npy"), reconstructed = read_npy(dir / "recon.npy");
  ASSERT_EQ(reconstructed.shape(), (Shape{96, 64}));
  ASSERT_EQ(decoded.shape(), reconstructed.shape());
  for (int64_t i = 0; i < decoded.size(); ++i)
    ASSERT_NEAR(decoded[i], reconstructed[i], 1e-3f) << "decode(encode(x)) is reconstruct(x)";
  EXPECT_TRUE(std::filesystem::exists(dir / "grid.png"));

  auto info = run_aekit(dir, "info m.aek");
  ASSERT_EQ(info.exit_code, 0) << info.err;
  EXPECT_NE(info.out.find("1x8x8-4x4x4-8x2x2-32-6"), std::string::npos) << info.out;
  EXPECT_NE(info.out.find("decoder      conv_transpose2d(activation=relu, kernel=3, out=4, output_padding=1, padding=1, "
                          "stride=2) -> 4x4x4"),
            std::string::npos) << info.out;
  EXPECT_NE(info.out.find("images       8 x 8"), std::string::npos) << info.out;
}

// The same model from a config file with an explicit decoder and --input-shape on flat rows.
TEST(CliConv, ExplicitDecoderAndInputShapeFromAConfigFile) {
  ScratchDir dir;
  write_bar_images(dir / "img.npy", 48, 8);
  const Tensor images = read_npy(dir / "img.npy");
  Tensor rows({48, 64});
  std::copy_n(images.data(), images.size(), rows.data());
  write_npy(dir / "rows.npy", rows);
  write_text(dir / "conv.conf",
             "data = \"rows.npy\"\ninput_shape = \"1x8x8\"\narch = \"conv4k3p1,relu,maxpool2,flatten,dense8\"\n"
             "decoder = \"dense64,relu,reshape4x4x4,up2,convt1k3p1,sigmoid\"\nepochs = 1\nbatch_size = 16\n");
  auto train = run_aekit(dir, "train --config conv.conf --out m.aek");
  ASSERT_EQ(train.exit_code, 0) << train.err;
  EXPECT_NE(train.err.find("decoder upsample(mode=nearest, scale=2) -> 4x8x8"), std::string::npos) << train.err;
  auto info = run_aekit(dir, "info m.aek");
  EXPECT_NE(info.out.find("images       8 x 8"), std::string::npos) << "--input-shape records the image size\n"
                                                                   << info.out;
}

TEST(CliConv, BadImageSizesAndShapesAreOneLineErrors) {
  ScratchDir dir;
  write_bar_images(dir / "img.npy", 32, 8);
  write_bar_images(dir / "big.npy", 32, 10);
  ASSERT_EQ(run_aekit(dir, kConvTrain).exit_code, 0);
  const std::string saved = slurp(dir / "m.aek");
  struct Case {
    std::string args, message;
  };
  const std::vector<Case> cases = {
      {kConvTrain + " --input-shape 1x9x9", "--input-shape 1x9x9 holds 81 values per sample but the data has 64 (8x8 images)"},
      {kConvTrain + " --input-shape 1x8", "--input-shape: '1x8' must be CxHxW or a feature count"},
      {"train --data img.npy --arch conv4k9,relu,flatten,dense6 --out m.aek",
       "encoder layer 1 (conv2d(activation=relu, kernel=9, out=4)): conv2d(1->4, kernel 9, relu): input 1x8x8 "
       "padded to 8x8 is smaller than the dilated kernel 9x9"},
      {"train --data img.npy --arch conv4k3,pool2 --out m.aek", "--arch: unknown layer 'pool2'"},
      {"train --data img.npy --arch conv4k3s2,relu,flatten,dense6 --decoder dense36,reshape4x3x3,convt1k3s2 --out m.aek",
       "the decoder ends with 49 values per sample but the input has 64"},
      {"eval m.aek --data big.npy", "big.npy has 100 features (10x10 images) but the model m.aek expects 64 (1x8x8 images)"},
      {"reconstruct m.aek --data big.npy --out r.npy", "big.npy has 100 features (10x10 images)"},
  };
  for (const Case& c : cases) {
    auto r = run_aekit(dir, c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args << "\n" << r.err;
    EXPECT_EQ(count_lines(r.err), 1) << c.args << "\n" << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << c.args << "\n" << r.err;
  }
  EXPECT_EQ(slurp(dir / "m.aek"), saved) << "a failed run leaves the earlier model alone";
  EXPECT_FALSE(std::filesystem::exists(dir / "r.npy"));
}

}  // namespace
}  // namespace aekit::test
