#pragma once
// `aekit eval --probe knn`: how well the codes keep the labels' structure, measured by a
// k-nearest-neighbour classifier trained on the codes of a labelled training set and scored on
// the evaluated data's codes, beside the same classifier on the raw (preprocessed) inputs and on
// PCA codes of the same size fitted on the same training rows.
#include <aekit/data/dataset.h>
#include <aekit/models/trained_model.h>

#include <CLI/CLI.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

namespace aekit::cli {

struct ProbeFlags {
  std::string kind;   // "" (no probe) or "knn"
  std::string train;  // labelled training data; default: the :train split of a :test name
  int k = 5;
  int64_t train_limit = 10000;  // training rows used, drawn at random; 0 = all
};
std::shared_ptr<ProbeFlags> add_probe_flags(CLI::App* command);

// Runs the probe when one was asked for; `test` is the evaluated data, already preprocessed for
// the model. Returns the JSON fields to report (knn_accuracy, knn_raw_accuracy,
// knn_pca_accuracy, knn_k, probe_train, probe_train_rows), an empty object when no probe ran.
nlohmann::json run_probe(const ProbeFlags& flags, TrainedModel& model, const Dataset& test,
                         const std::string& model_path, const CsvOptions& csv);
// The probe's lines for people; nothing for an empty result.
void print_probe(const nlohmann::json& result);

}  // namespace aekit::cli
