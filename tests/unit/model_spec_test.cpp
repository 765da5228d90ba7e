// Architecture strings, spec validation and the trained-model round trip through a model file.
#include <aekit/core/error.h>
#include <aekit/models/dense_arch.h>
#include <aekit/models/trained_model.h>
#include <aekit/options/config_file.h>
#include <aekit/options/train_options.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace aekit {
namespace {

TEST(DenseArch, ParsesSizesAndMirrorsTheDecoder) {
  DenseArch spec;
  spec.encoder = parse_sizes("784-128-64", "--arch");
  EXPECT_EQ(spec.encoder, (std::vector<int64_t>{784, 128, 64}));
  EXPECT_EQ(spec.decoder_sizes(), (std::vector<int64_t>{64, 128, 784}));
  spec.decoder = {64, 256, 784};
  EXPECT_NO_THROW(spec.validate());
  spec.decoder = {64, 256, 700};
  EXPECT_THROW(spec.validate(), InputError);
}

TEST(DenseArch, RejectsMalformedSizes) {
  for (const char* bad : {"", "784", "784-", "784--64", "784-x-64", "784-0-64", "-5-3", "784-128-64a"})
    EXPECT_THROW(parse_sizes(bad, "--arch"), InputError) << bad;
}

TEST(TrainedModel, RoundTripsThroughAModelFile) {
  TrainedModel model;
  DenseArch arch;
  arch.encoder = {6, 4, 2};
  arch.activation = "elu";
  arch.dropout = 0.1f;
  const ModelSpec spec = arch.to_spec();
  model.network = std::make_unique<Autoencoder>(spec, 9);
  Tensor x({5, 6});
  for (int64_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i % 7);
  model.preprocessor = Preprocessor::fit(PreprocessKind::ZScore, x);
  model.loss = "bce";
  model.training = {{"note", "test"}};

  std::stringstream buffer;
  write_model(buffer, to_model_file(model));
  TrainedModel loaded = from_model_file(read_model(buffer, "memory"), "memory");
  EXPECT_EQ(loaded.loss, "bce");
  EXPECT_EQ(loaded.network->spec().to_json(), spec.to_json());
  EXPECT_EQ(loaded.training["note"], "test");
  model.preprocessor.apply(x);
  const Tensor a = model.network->reconstruct(x.view());
  const Tensor b = loaded.network->reconstruct(x.view());
  for (int64_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i], b[i]);
}

TEST(TrainedModel, RejectsTensorsThatDoNotFitTheArchitecture) {
  TrainedModel model;
  DenseArch arch;
  arch.encoder = {6, 4, 2};
  model.network = std::make_unique<Autoencoder>(arch.to_spec(), 0);
  ModelFile file = to_model_file(model);
  file.tensors[0].tensor = Tensor({3, 6});
  EXPECT_THROW(from_model_file(file, "m.aek"), InputError);
  file = to_model_file(model);
  file.tensors.push_back({"extra", Tensor({1})});
  EXPECT_THROW(from_model_file(file, "m.aek"), InputError);
  file = to_model_file(model);
  file.metadata["architecture"] = "{\"type\": \"dense_autoencoder\"}";
  EXPECT_THROW(from_model_file(file, "m.aek"), InputError);
}

// Every example config is valid: each option known, each value accepted, the model buildable.
TEST(Examples, EveryConfigLoads) {
  int seen = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(AEKIT_SOURCE_DIR) + "/examples")) {
    if (entry.path().extension() != ".conf") continue;
    ++seen;
    TrainOptions options;
    for (const auto& [key, value] : read_train_config(entry.path().string()))
      for (const OptionDef& def : train_option_table())
        if (def.name == key) {
          EXPECT_NO_THROW(def.set(options, value)) << entry.path() << ": " << key;
        }
    // The examples train on MNIST-shaped images (28 x 28).
    EXPECT_NO_THROW(Autoencoder(options.model_spec({28, 28}), 0)) << entry.path();
    EXPECT_FALSE(options.data.empty()) << entry.path();
  }
  EXPECT_GT(seen, 0) << "no example configs found";
}

TEST(ConfigFile, ErrorsNameFileAndLine) {
  const std::string path = (std::filesystem::temp_directory_path() / "aekit-bad.conf").string();
  {
    std::ofstream(path) << "epochs = 3\n\nnot an option line\n";
  }
  try {
    read_train_config(path);
    FAIL() << "expected an error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("aekit-bad.conf:3"), std::string::npos) << e.what();
  }
  {
    std::ofstream(path) << "epoch = 3\n";
  }
  EXPECT_THROW(read_train_config(path), InputError);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace aekit
