// Every config in examples/ reads (known keys, valid values) and describes a model that builds, so
// an example never rots when an option changes.
#include <aekit/models/autoencoder.h>
#include <aekit/options/config_file.h>
#include <aekit/options/train_options.h>

#include <gtest/gtest.h>

#include <filesystem>

namespace aekit {
namespace {

TEST(ExampleConfigs, EveryExampleReadsAndBuildsItsModel) {
  int seen = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(AEKIT_SOURCE_DIR) / "examples")) {
    if (entry.path().extension() != ".conf") continue;
    ++seen;
    const std::string path = entry.path().string();
    TrainOptions o;
    for (const auto& [key, value] : read_train_config(path))
      for (const OptionDef& def : train_option_table())
        if (def.name == key) def.set(o, value);
    // MNIST's digits: 28 x 28 images.
    EXPECT_NO_THROW(Autoencoder(o.model_spec({28, 28}), 0)) << path;
  }
  EXPECT_GE(seen, 3);
}

}  // namespace
}  // namespace aekit
