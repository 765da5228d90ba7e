// Model files written before layer specs (architecture "dense_autoencoder") still load, rebuild
// the same layers and give the same outputs. The fixture and how it was made are in
// tests/fixtures/models/README.md.
#include "../cli/cli_runner.h"

#include <aekit/data/npy.h>
#include <aekit/models/dense_arch.h>
#include <aekit/models/trained_model.h>

#include <gtest/gtest.h>

#include <cmath>

namespace aekit::test {
namespace {

const std::string kDir = std::string(AEKIT_SOURCE_DIR) + "/tests/fixtures/models/";

TEST(LegacyModel, V1DenseFileLoadsAsLayerSpecs) {
  TrainedModel model = load_trained_model(kDir + "v1_dense.aek");
  DenseArch arch;
  arch.encoder = {6, 5, 3};
  arch.decoder = {3, 4, 6};
  arch.activation = "tanh";
  arch.code_activation = "identity";
  arch.output_activation = "sigmoid";
  arch.dropout = 0.2f;
  EXPECT_EQ(model.network->spec(), arch.to_spec());
  EXPECT_EQ(model.network->spec().encoder.size(), 3u);  // dense, dropout, dense
  EXPECT_EQ(model.network->code_size(), 3);
  std::vector<std::string> names;
  for (const Param& p : model.network->params()) names.push_back(p.name);
  EXPECT_EQ(names, (std::vector<std::string>{"encoder.0.weight", "encoder.0.bias", "encoder.1.weight",
                                             "encoder.1.bias", "decoder.0.weight", "decoder.0.bias",
                                             "decoder.1.weight", "decoder.1.bias"}));
}

// Equal to float rounding: the fixture's outputs were computed on an AVX-512 CPU, and other
// kernels (AVX2) sum the products in another order (differences of a few 1e-8 here). A layer
// rebuilt wrongly (another activation, order or weight) is off by orders of magnitude more.
void expect_same_npy(const std::string& a, const std::string& b) {
  const Tensor x = read_npy(a), y = read_npy(b);
  ASSERT_EQ(x.shape(), y.shape());
  for (int64_t i = 0; i < x.size(); ++i) EXPECT_NEAR(x[i], y[i], 1e-6 * (1 + std::abs(y[i]))) << a << " element " << i;
}

TEST(LegacyModel, V1DenseFileGivesTheSameCodesAndReconstructions) {
  ScratchDir dir;
  const std::string model = "'" + kDir + "v1_dense.aek' --data '" + kDir + "v1_input.csv'";
  CommandResult r = run_aekit(dir, "encode " + model + " --out codes.npy");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_same_npy(dir / "codes.npy", kDir + "v1_codes.npy");
  r = run_aekit(dir, "reconstruct " + model + " --out recon.npy");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_same_npy(dir / "recon.npy", kDir + "v1_reconstruction.npy");
}

// A model saved now stores layer specs, and reading it back gives the same description.
TEST(LegacyModel, ResavedFileStoresLayerSpecs) {
  TrainedModel model = load_trained_model(kDir + "v1_dense.aek");
  const ModelFile file = to_model_file(model);
  const auto arch = nlohmann::json::parse(file.metadata.at("architecture"));
  EXPECT_EQ(arch.at("type"), "autoencoder");
  EXPECT_EQ(arch.at("encoder").at(1).at("kind"), "dropout");
  TrainedModel again = from_model_file(file, "memory");
  EXPECT_EQ(again.network->spec(), model.network->spec());
}

}  // namespace
}  // namespace aekit::test
