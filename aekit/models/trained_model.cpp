#include <aekit/models/trained_model.h>

#include <aekit/core/checked_size.h>
#include <aekit/core/error.h>
#include <aekit/core/json_checked.h>
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

// A header cell longer than this is no column name.
constexpr size_t kMaxFeatureNameBytes = 4096;

}  // namespace

ModelFile to_model_file(TrainedModel& model) {
  ModelFile file;
  file.metadata["format"] = kModelFormat;
  file.metadata["format_version"] = kModelFormatVersion;
  file.metadata["aekit_version"] = AEKIT_VERSION;
  file.metadata["architecture"] = model.network->spec().to_json().dump();
  file.metadata["preprocessing"] = model.preprocessor.to_json().dump();
  file.metadata["loss"] = model.loss;
  nlohmann::json data{{"image_height", model.image_height}, {"image_width", model.image_width}};
  if (!model.feature_names.empty()) data["feature_names"] = model.feature_names;
  file.metadata["data"] = data.dump();
  file.metadata["training"] = model.training.dump();
  if (model.anomaly) file.metadata["anomaly"] = model.anomaly->to_json().dump();
  for (const Param& p : stored_tensors(*model.network)) file.tensors.push_back({p.name, *p.value, p.integer});
  return file;
}

// The stored tensors must be exactly the parameters the architecture needs, with their shapes.
// Checked before the network is built: the stored tensors were sized by the file's own bytes, so
// once they match, building the network allocates no more than the file already holds.
void check_tensors_match(const ModelFile& file, const ModelSpec& spec, const std::string& source) {
  std::vector<std::pair<std::string, Shape>> expected;
  try {
    expected = spec.tensor_shapes();
  } catch (const InputError& e) {
    fail(source, ": ", e.what());
  }
  std::set<std::string> names;
  for (const auto& [name, shape] : expected) {
    names.insert(name);
    const Tensor& stored = file.tensor(name, source);
    if (stored.shape() != shape)
      fail(source, ": tensor '", name, "' has shape ", shape_string(stored.shape()), ", the architecture needs ",
           shape_string(shape));
  }
  for (const NamedTensor& t : file.tensors)
    if (!names.count(t.name)) fail(source, ": unexpected tensor '", t.name, "' for this architecture");
}

// The preprocessing must describe the model's input before its per-feature vectors are built.
void check_preprocessing_features(const nlohmann::json& j, int64_t input_size, const std::string& source) {
  if (!j.is_object()) return;  // Preprocessor::from_json names the problem
  auto features = j.find("features");
  if (features == j.end() || !features->is_number_integer()) return;
  const std::optional<int64_t> n = json_integer(*features, 0, input_size);
  if (!n || (*n != 0 && *n != input_size))
    fail(source, ": preprocessing has ", features->dump(), " features but the model's input has ", input_size);
}

TrainedModel from_model_file(const ModelFile& file, const std::string& source) {
  check_aekit_format(file, source);
  TrainedModel model;
  const ModelSpec spec = ModelSpec::from_json(metadata_json(file, "architecture", source), source);
  check_tensors_match(file, spec, source);
  const nlohmann::json preprocessing = metadata_json(file, "preprocessing", source);
  check_preprocessing_features(preprocessing, spec.input_size(), source);
  model.preprocessor = Preprocessor::from_json(preprocessing, source);
  if (model.preprocessor.features() != 0 && model.preprocessor.features() != spec.input_size())
    fail(source, ": preprocessing has ", model.preprocessor.features(), " features but the model's input has ",
         spec.input_size());
  model.loss = metadata(file, "loss", source);
  const auto names = loss_names();
  if (std::find(names.begin(), names.end(), model.loss) == names.end())
    fail(source, ": unknown loss '", model.loss, "' in the model metadata");
  const nlohmann::json data = metadata_json(file, "data", source);
  auto dimension = [&](const char* key) -> int64_t {
    auto it = data.is_object() ? data.find(key) : data.end();
    if (it == data.end() || !it->is_number_integer())
      fail(source, ": model metadata 'data' lacks image_height/image_width integers");
    const std::optional<int64_t> d = json_integer(*it, INT64_MIN, INT64_MAX);
    if (!d) fail(source, ": model metadata 'data' ", key, " ", it->dump(), " is out of range");
    return *d;
  };
  model.image_height = dimension("image_height");
  model.image_width = dimension("image_width");
  // Checked product: unchecked, 6 x 3074457345618258603 wraps to 2 and a 2-input model would
  // claim 6-row images that the PNG grid then writes far past its buffer.
  const std::optional<uint64_t> pixels =
      model.image_height < 0 || model.image_width < 0
          ? std::nullopt
          : checked_mul(static_cast<uint64_t>(model.image_height), static_cast<uint64_t>(model.image_width));
  if (!pixels || (*pixels != 0 && *pixels != static_cast<uint64_t>(spec.input_size())))
    fail(source, ": image size ", model.image_height, "x", model.image_width,
         " does not match the input size ", spec.input_size());
  if (*pixels == 0 && (model.image_height != 0 || model.image_width != 0))
    fail(source, ": image size ", model.image_height, "x", model.image_width, " is not an image (use 0x0)");
  if (auto names = data.find("feature_names"); names != data.end()) {
    if (!names->is_array() || names->size() != static_cast<size_t>(spec.input_size()))
      fail(source, ": model metadata 'data' feature_names is not a list of ", spec.input_size(), " names");
    for (const nlohmann::json& name : *names) {
      if (!name.is_string() || name.get_ref<const std::string&>().size() > kMaxFeatureNameBytes)
        fail(source, ": model metadata 'data' feature_names holds something other than a name of at most ",
             kMaxFeatureNameBytes, " bytes");
      model.feature_names.push_back(name.get<std::string>());
    }
  }
  auto training = file.metadata.find("training");
  if (training != file.metadata.end())
    model.training = nlohmann::json::parse(training->second, nullptr, /*allow_exceptions=*/false);
  if (file.metadata.count("anomaly"))
    model.anomaly = AnomalyProfile::from_json(metadata_json(file, "anomaly", source), spec.input_size(), source);

  // Layers that refer to others (tied_dense's tie) are checked against them only when built.
  try {
    model.network = std::make_unique<Autoencoder>(spec, 0);
  } catch (const InputError& e) {
    fail(source, ": ", e.what());
  }
  for (const Param& p : stored_tensors(*model.network)) {
    const Tensor& stored = file.tensor(p.name, source);
    AEKIT_ASSERT(stored.shape() == p.value->shape(), "tensor_shapes() disagrees with the network: ", p.name);
    *p.value = stored;
  }
  for (size_t i = 0; i < model.network->layer_count(); ++i) {
    try {
      model.network->layer(i).check_stored();
    } catch (const InputError& e) {
      fail(source, ": ", e.what());
    }
  }
  return model;
}

void save_trained_model(const std::string& path, TrainedModel& model) { save_model(path, to_model_file(model)); }

// A recommender's file (recsys/recommender.h) holds a network too, but its input is a row of the
// rating matrix that only the recommender verbs build; the plain verbs refuse it by what it is
// rather than by its extra tensor ("unexpected tensor 'recommender.ratings'").
TrainedModel load_trained_model(const std::string& path) {
  const ModelFile file = load_model(path);
  if (file.metadata.count("recommender"))
    fail(path, ": this is a recommender model; use aekit recommend, or aekit eval with --ratings-test");
  return from_model_file(file, path);
}

}  // namespace aekit
