#include <aekit/models/trained_model.h>

#include <aekit/core/error.h>
#include <aekit/losses/loss.h>

#include <algorithm>
#include <set>

namespace aekit {

namespace {

const std::string& metadata(const ModelFile& file, const std::string& key, const std::string& source) {
  auto it = file.metadata.find(key);
  if (it == file.metadata.end()) fail(source, ": model metadata has no '", key, "' entry");
  return it->second;
}

nlohmann::json metadata_json(const ModelFile& file, const std::string& key, const std::string& source) {
  try {
    return nlohmann::json::parse(metadata(file, key, source));
  } catch (const nlohmann::json::exception&) {
    fail(source, ": model metadata '", key, "' is not valid JSON");
  }
}

// What the file holds of the network: its parameters, then its buffers.
std::vector<Param> stored_tensors(Autoencoder& network) {
  std::vector<Param> all = network.params();
  for (const Param& p : network.buffers()) all.push_back(p);
  return all;
}

}  // namespace

ModelFile to_model_file(TrainedModel& model) {
  ModelFile file;
  file.metadata["format"] = kModelFormat;
  file.metadata["format_version"] = kModelFormatVersion;
  file.metadata["aekit_version"] = AEKIT_VERSION;
  file.metadata["architecture"] = model.network->spec().to_json().dump();
  file.metadata["preprocessing"] = model.preprocessor.to_json().dump();
  file.metadata["loss"] = model.loss;
  file.metadata["data"] =
      nlohmann::json{{"image_height", model.image_height}, {"image_width", model.image_width}}.dump();
  file.metadata["training"] = model.training.dump();
  if (model.anomaly) file.metadata["anomaly"] = model.anomaly->to_json().dump();
  for (const Param& p : stored_tensors(*model.network)) file.tensors.push_back({p.name, *p.value});
  return file;
}

TrainedModel from_model_file(const ModelFile& file, const std::string& source) {
  check_aekit_format(file, source);
  TrainedModel model;
  const ModelSpec spec = ModelSpec::from_json(metadata_json(file, "architecture", source), source);
  model.network = std::make_unique<Autoencoder>(spec, 0);
  model.preprocessor = Preprocessor::from_json(metadata_json(file, "preprocessing", source), source);
  if (model.preprocessor.features() != 0 && model.preprocessor.features() != spec.input_size())
    fail(source, ": preprocessing has ", model.preprocessor.features(), " features but the model's input has ",
         spec.input_size());
  model.loss = metadata(file, "loss", source);
  const auto names = loss_names();
  if (std::find(names.begin(), names.end(), model.loss) == names.end())
    fail(source, ": unknown loss '", model.loss, "' in the model metadata");
  const nlohmann::json data = metadata_json(file, "data", source);
  try {
    model.image_height = data.at("image_height").get<int64_t>();
    model.image_width = data.at("image_width").get<int64_t>();
  } catch (const nlohmann::json::exception&) {
    fail(source, ": model metadata 'data' lacks image_height/image_width integers");
  }
  if (model.image_height < 0 || model.image_width < 0 ||
      (model.image_height * model.image_width != 0 &&
       model.image_height * model.image_width != spec.input_size()))
    fail(source, ": image size ", model.image_height, "x", model.image_width,
         " does not match the input size ", spec.input_size());
  auto training = file.metadata.find("training");
  if (training != file.metadata.end())
    model.training = nlohmann::json::parse(training->second, nullptr, /*allow_exceptions=*/false);
  if (file.metadata.count("anomaly"))
    model.anomaly = AnomalyProfile::from_json(metadata_json(file, "anomaly", source), spec.input_size(), source);

  std::set<std::string> expected;
  for (const Param& p : stored_tensors(*model.network)) {
    expected.insert(p.name);
    const Tensor& stored = file.tensor(p.name, source);
    if (stored.shape() != p.value->shape())
      fail(source, ": tensor '", p.name, "' has shape ", shape_string(stored.shape()), ", the architecture needs ",
           shape_string(p.value->shape()));
    *p.value = stored;
  }
  for (const NamedTensor& t : file.tensors)
    if (!expected.count(t.name)) fail(source, ": unexpected tensor '", t.name, "' for this architecture");
  return model;
}

void save_trained_model(const std::string& path, TrainedModel& model) { save_model(path, to_model_file(model)); }

TrainedModel load_trained_model(const std::string& path) { return from_model_file(load_model(path), path); }

}  // namespace aekit
