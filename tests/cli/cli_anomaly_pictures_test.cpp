// The anomaly pictures through the command: score --png draws the histogram (two colours with
// ground truth), and reconstruct --worst N --png draws exactly the N highest-scored samples, worst
// first, above their reconstructions. Data: 8x8 images, normal ones a horizontal bar, anomalies a
// vertical bar and a diagonal, so the anomalies are what the model reconstructs worst.
#include "cli_runner.h"

#include <aekit/core/rng.h>
#include <aekit/data/npy.h>
#include <aekit/latent/scatter_plot.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <numeric>

#include "../support/png_image.h"

namespace aekit::test {
namespace {

// `normal` images with a bar of 200 on one row, then `anomalies` with a full column and the
// diagonal at 255; N x 8 x 8 uint8, so the data says it holds images.
Tensor bar_images(int normal, int anomalies, uint64_t seed) {
  Rng rng(seed);
  Tensor x({normal + anomalies, 8, 8});
  for (int i = 0; i < normal + anomalies; ++i) {
    float* img = x.data() + 64 * i;
    const int k = static_cast<int>(rng.uniform() * 7.999f);
    for (int j = 0; j < 8; ++j) {
      if (i < normal) {
        img[8 * k + j] = 200;
      } else {
        img[8 * j + k] = 255;
        img[8 * j + j] = 255;
      }
    }
  }
  return x;
}

class CliAnomalyPictures : public ::testing::Test {
 protected:
  void SetUp() override {
    write_npy(dir / "train.npy", bar_images(400, 0, 1), NpyDtype::UInt8);
    test_images = bar_images(60, 6, 2);
    write_npy(dir / "test.npy", test_images, NpyDtype::UInt8);
    std::string truth;
    for (int i = 0; i < 66; ++i) truth += i < 60 ? "0\n" : "1\n";
    write_text(dir / "truth.csv", truth);
    auto train = run_aekit(dir, "train --data train.npy --arch 64-16-4 --activation tanh --output-activation sigmoid "
                                "--lr 0.01 --batch-size 32 --epochs 30 --seed 0 --threads 1 --out model.aek");
    ASSERT_EQ(train.exit_code, 0) << train.err;
  }
  ScratchDir dir;
  Tensor test_images;
};

TEST_F(CliAnomalyPictures, ScoreHistogramPng) {
  auto r = run_aekit(dir, "score model.aek --data test.npy --png hist.png --truth truth.csv --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(nlohmann::json::accept(r.out)) << "--png keeps stdout JSON";
  const PngImage png = read_png(dir / "hist.png", 3);
  ASSERT_NE(png.pixels, nullptr);
  EXPECT_EQ(png.width, 860);
  EXPECT_EQ(png.height, 520);
  EXPECT_GT(png.count(class_color(0)), 500) << "normal bars";
  EXPECT_GT(png.count(class_color(1)), 500) << "anomalous bars";
  EXPECT_GT(png.count(class_color(3)), 300) << "the stored threshold's line";

  // Without ground truth: one colour.
  ASSERT_EQ(run_aekit(dir, "score model.aek --data test.npy --png plain.png --out s.csv").exit_code, 0);
  const PngImage plain = read_png(dir / "plain.png", 3);
  ASSERT_NE(plain.pixels, nullptr);
  EXPECT_GT(plain.count(class_color(0)), 500);
  EXPECT_EQ(plain.count(class_color(1)), 0);

  write_text(dir / "short.csv", "0\n1\n");
  for (const auto& [args, message] : std::vector<std::pair<std::string, std::string>>{
           {"score model.aek --data test.npy --truth truth.csv", "give --png FILE too"},
           {"score model.aek --data test.npy --png h2.png --truth short.csv", "2 labels for 66 rows"},
           {"score model.aek --data test.npy --png test.npy", "--png"},
       }) {
    auto bad = run_aekit(dir, args);
    EXPECT_EQ(bad.exit_code, 2) << args << "\n" << bad.err;
    EXPECT_EQ(count_lines(bad.err), 1) << bad.err;
    EXPECT_NE(bad.err.find(message), std::string::npos) << args << "\n" << bad.err;
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "h2.png"));
}

TEST_F(CliAnomalyPictures, ReconstructWorstDrawsTheHighestScoredSamples) {
  auto s = run_aekit(dir, "score model.aek --data test.npy --json");
  ASSERT_EQ(s.exit_code, 0) << s.err;
  const auto scores = nlohmann::json::parse(s.out).at("scores").get<std::vector<double>>();
  std::vector<int64_t> by_score(scores.size());
  std::iota(by_score.begin(), by_score.end(), 0);
  std::stable_sort(by_score.begin(), by_score.end(), [&](int64_t a, int64_t b) { return scores[a] > scores[b]; });
  by_score.resize(5);

  auto r = run_aekit(dir, "reconstruct model.aek --data test.npy --worst 5 --png worst.png");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // "worst 5 of 66 by mse score (row score, highest first): 63 0.21 60 0.19 ..."
  const std::string line = r.out.substr(0, r.out.find('\n'));
  ASSERT_NE(line.find("worst 5 of 66 by mse score"), std::string::npos) << r.out;
  std::istringstream listed(line.substr(line.find(':') + 1));
  std::vector<int64_t> rows;
  for (int64_t row; listed >> row;) {
    rows.push_back(row);
    double score = 0;
    listed >> score;
    EXPECT_NEAR(score, scores[row], 1e-5 * scores[row]) << "row " << row;
  }
  EXPECT_EQ(rows, by_score) << "the highest-scored rows, highest first";
  for (int64_t row : rows) EXPECT_GE(row, 60) << "the anomalies are the worst reconstructed";

  // One grid row of 5 originals above 5 reconstructions: 8x8 images at scale 2, padding 2.
  const PngImage png = read_png(dir / "worst.png", 1);
  ASSERT_NE(png.pixels, nullptr);
  EXPECT_EQ(png.width, 2 + 5 * (16 + 2));
  EXPECT_EQ(png.height, 2 + 2 * (16 + 2));
  // Each tile of the top row is that row's original image (values 0, 200, 255 show as themselves).
  for (int t = 0; t < 5; ++t) {
    const float* image = test_images.data() + 64 * rows[static_cast<size_t>(t)];
    int differing = 0;
    for (int y = 0; y < 8; ++y)
      for (int x = 0; x < 8; ++x)
        differing += std::abs(*png.at(2 + t * 18 + 2 * x, 2 + 2 * y) - static_cast<int>(image[8 * y + x])) > 1;
    EXPECT_EQ(differing, 0) << "tile " << t << " is not row " << rows[static_cast<size_t>(t)];
  }

  for (const auto& [args, message] : std::vector<std::pair<std::string, std::string>>{
           {"reconstruct model.aek --data test.npy --worst 5 --out r.npy", "give --png FILE too"},
           {"reconstruct model.aek --data test.npy --png w.png --metric l1", "give --worst N too"},
           {"reconstruct model.aek --data test.npy --png w.png --worst 5 --metric rmse", "unknown score metric"},
       }) {
    auto bad = run_aekit(dir, args);
    EXPECT_EQ(bad.exit_code, 2) << args << "\n" << bad.err;
    EXPECT_NE(bad.err.find(message), std::string::npos) << args << "\n" << bad.err;
  }

  // A model of plain rows: refused before any scoring, so no list of rows is printed.
  std::string plain_rows;
  for (int i = 0; i < 40; ++i) plain_rows += std::to_string(i % 7) + "," + std::to_string(i % 5) + ",1,2\n";
  write_text(dir / "rows.csv", plain_rows);
  ASSERT_EQ(run_aekit(dir, "train --data rows.csv --arch 4-2 --epochs 2 --threads 1 --out rows.aek").exit_code, 0);
  auto flat = run_aekit(dir, "reconstruct rows.aek --data rows.csv --worst 3 --png w.png");
  EXPECT_EQ(flat.exit_code, 2) << flat.err;
  EXPECT_NE(flat.err.find("not trained on images"), std::string::npos) << flat.err;
  EXPECT_EQ(flat.out, "");
  EXPECT_FALSE(std::filesystem::exists(dir / "w.png"));
}

}  // namespace
}  // namespace aekit::test
