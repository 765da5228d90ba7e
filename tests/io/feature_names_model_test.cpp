// The feature names a model keeps from its training table's header go through the model file,
// and a file whose names do not fit its input is an error rather than a check that never fires.
#include <aekit/core/error.h>
#include <aekit/models/dense_arch.h>
#include <aekit/models/trained_model.h>

#include <gmock/gmock.h>
#include <nlohmann/json.hpp>

#include <sstream>

namespace aekit {
namespace {

TrainedModel three_features(std::vector<std::string> names) {
  DenseArch arch;
  arch.encoder = {3, 2};
  TrainedModel model;
  model.network = std::make_unique<Autoencoder>(arch.to_spec(), 1);
  model.feature_names = std::move(names);
  return model;
}

std::string load_error(ModelFile file) {
  try {
    from_model_file(file, "m.aek");
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(FeatureNamesInTheModelFile, RoundTripAndOldFiles) {
  TrainedModel model = three_features({"height", "weight", "a \"quoted\" name"});
  std::stringstream bytes;
  write_model(bytes, to_model_file(model));
  EXPECT_EQ(from_model_file(read_model(bytes, "memory"), "memory").feature_names, model.feature_names);
  TrainedModel unnamed = three_features({});
  ModelFile file = to_model_file(unnamed);
  EXPECT_EQ(nlohmann::json::parse(file.metadata["data"]).count("feature_names"), 0u) << "as files before names";
  EXPECT_TRUE(from_model_file(file, "m.aek").feature_names.empty());
}

TEST(FeatureNamesInTheModelFile, NamesThatDoNotFitTheInputAreAnError) {
  TrainedModel model = three_features({"a", "b", "c"});
  ModelFile file = to_model_file(model);
  for (const char* bad : {R"(["a","b"])", R"("abc")", R"(["a",2,"c"])"}) {
    nlohmann::json data = nlohmann::json::parse(file.metadata["data"]);
    data["feature_names"] = nlohmann::json::parse(bad);
    ModelFile crafted = file;
    crafted.metadata["data"] = data.dump();
    EXPECT_THAT(load_error(crafted), ::testing::HasSubstr("m.aek: model metadata 'data' feature_names")) << bad;
  }
  nlohmann::json data = nlohmann::json::parse(file.metadata["data"]);
  data["feature_names"] = {"a", std::string(5000, 'x'), "c"};
  file.metadata["data"] = data.dump();
  EXPECT_THAT(load_error(file), ::testing::HasSubstr("at most 4096 bytes"));
}

}  // namespace
}  // namespace aekit
