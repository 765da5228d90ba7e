#pragma once
// A trained model as saved and loaded: the network, the preprocessing fitted on its training
// data, the loss it was trained with and a record of how it was trained. It maps to one model
// file (aekit/io/model_file.h): tensors named after the network's parameters, and metadata
//   format, format_version  "aekit-model", "1"
//   aekit_version           the version that wrote it
//   architecture            ModelSpec as JSON
//   preprocessing           Preprocessor as JSON
//   loss                    the loss name
//   data                    {"image_height": H, "image_width": W} (0 when not images), and
//                           "feature_names": [...] when the training table had a header
//   training                settings and results, free-form JSON for people
//   anomaly                 AnomalyProfile as JSON (absent in models from before it existed)
#include <aekit/anomaly/profile.h>
#include <aekit/data/preprocess.h>
#include <aekit/io/model_file.h>
#include <aekit/models/autoencoder.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace aekit {

struct TrainedModel {
  std::unique_ptr<Autoencoder> network;
  Preprocessor preprocessor;
  std::string loss = "mse";
  int64_t image_height = 0;
  int64_t image_width = 0;
  // The training table's header names of the features, in order (models/feature_names.h); empty
  // when the data had none.
  std::vector<std::string> feature_names;
  nlohmann::json training = nlohmann::json::object();
  std::optional<AnomalyProfile> anomaly;  // thresholds and error spread of its training scores
};

ModelFile to_model_file(TrainedModel& model);
// Validates the metadata and that every parameter is present with its exact shape and nothing
// else is; InputError naming `source` otherwise.
TrainedModel from_model_file(const ModelFile& file, const std::string& source);

void save_trained_model(const std::string& path, TrainedModel& model);
TrainedModel load_trained_model(const std::string& path);

}  // namespace aekit
