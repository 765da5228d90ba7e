// aekit eval: reconstruction metrics of a model on a dataset.
#include "cli_util.h"
#include "commands.h"
#include "eval_anomaly.h"
#include "eval_corruption.h"
#include "eval_vae.h"
#include "knn_probe.h"
#include "reconstruction_metrics.h"

#include <aekit/core/error.h>
#include <aekit/core/printable.h>
#include <aekit/core/threads.h>
#include <aekit/models/vae.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace aekit::cli {

namespace {

bool preprocessed(const TrainedModel& model) { return model.preprocessor.kind() != PreprocessKind::None; }

nlohmann::json per_feature_json(const TrainedModel& model, const ReconstructionMetrics& m) {
  nlohmann::json features = nlohmann::json::array();
  for (size_t i = 0; i < m.data_units.mse_per_feature.size(); ++i) {
    nlohmann::json f{{"index", i}, {"mse", m.preprocessed.mse_per_feature[i]},
                     {"mse_data_units", m.data_units.mse_per_feature[i]}};
    if (i < model.feature_names.size()) f["name"] = model.feature_names[i];
    features.push_back(f);
  }
  return features;
}

// The worst-reconstructed features first, in the data's units.
void print_per_feature(const TrainedModel& model, const ReconstructionMetrics& m) {
  const std::vector<double>& mse = m.data_units.mse_per_feature;
  std::vector<size_t> order(mse.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return mse[a] > mse[b]; });
  constexpr size_t kShown = 20;
  std::printf("worst features       rmse (data units)  rmse (preprocessed)\n");
  for (size_t k = 0; k < order.size() && k < kShown; ++k) {
    const size_t i = order[k];
    const std::string name = i < model.feature_names.size() ? printable(model.feature_names[i]) : "feature " + std::to_string(i);
    std::printf("  %-18s %-18.6g %.6g\n", name.c_str(), std::sqrt(mse[i]), std::sqrt(m.preprocessed.mse_per_feature[i]));
  }
  if (order.size() > kShown) std::printf("  (%zu more; --json lists every feature)\n", order.size() - kShown);
}

}  // namespace

void add_eval_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("eval", "reconstruction metrics of a model on a dataset");
  auto model_path = std::make_shared<std::string>();
  auto data_spec = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  auto threads = std::make_shared<int>(0);
  cmd->add_option("model", *model_path, "model file")->required();
  cmd->add_option("--data", *data_spec, "dataset: mnist:test, file.npy, file.csv, ...");
  add_recommender_eval_options(cmd);
  cmd->add_flag("--json", *json, "print one JSON object on stdout");
  auto per_feature = std::make_shared<bool>(false);
  cmd->add_flag("--per-feature", *per_feature,
                "the error of each feature, worst first in the data's units (--json: every feature, in order)");
  cmd->add_option("--threads", *threads, "threads (0 = all cores)");
  auto csv = add_csv_flags(cmd);
  auto probe = add_probe_flags(cmd);
  auto anomaly = add_anomaly_eval_flags(cmd);
  auto corruption = add_eval_corruption_flags(cmd);
  cmd->callback([=] {
    set_num_threads(*threads);
    if (run_recommender_eval(*model_path, *json)) return;
    if (data_spec->empty()) fail("eval needs --data (or --ratings-test for a recommender)");
    if (anomaly->given(*csv, *probe) && run_anomaly_eval(*anomaly, *model_path, *data_spec, csv->csv(), *json)) return;
    TrainedModel model = load_trained_model(*model_path);
    // uint8 data (MNIST) is read as its bytes and preprocessed a chunk at a time, as training
    // reads it: a float copy of mnist:test is 31 MB of fresh pages, most of eval's time. The
    // corruption, the probe and a VAE's ELBO read every row as floats, so they keep the floats.
    const bool whole_floats = !corruption->corrupt.empty() || !probe->kind.empty() || sampling_layer(*model.network);
    Dataset data = load_for_model(model, *data_spec, *model_path, csv->csv(),
                                  whole_floats ? Uint8Data::AsFloats : Uint8Data::AsBytes);
    if (data.rows() == 0) fail(data.source, ": no rows to evaluate");
    const PreprocessedRows rows = data.bytes ? PreprocessedRows(*data.bytes, model.preprocessor) : PreprocessedRows(data.x);
    const Tensor corrupted = corruption->corrupt.empty() ? Tensor() : corruption->input_for(data.x);
    const ReconstructionMetrics metrics = measure_reconstruction(model, rows, corruption->corrupt.empty() ? nullptr : &corrupted);
    const ErrorSums& m = metrics.preprocessed;
    const ErrorSums& d = metrics.data_units;
    const std::string units = preprocess_kind_name(model.preprocessor.kind());
    const nlohmann::json probed = run_probe(*probe, model, data, *model_path, csv->csv());
    const nlohmann::json variational = vae_metrics(model, data.x);
    if (*json) {
      nlohmann::json out{{"model", *model_path},
                         {"data", data.source},
                         {"samples", data.rows()},
                         {"features", data.cols()},
                         {"loss_name", model.loss},
                         {"loss", metrics.loss},
                         {"mse_per_element", m.mse_per_element},
                         {"rmse_per_element", std::sqrt(m.mse_per_element)},
                         {"mae_per_element", m.mae_per_element},
                         {"sse_per_sample", m.sse_per_sample},
                         {"max_sse_per_sample", m.max_sse_per_sample},
                         {"units", "preprocessed (" + units + ")"},
                         {"mse_per_element_data_units", d.mse_per_element},
                         {"rmse_per_element_data_units", std::sqrt(d.mse_per_element)},
                         {"mae_per_element_data_units", d.mae_per_element},
                         {"sse_per_sample_data_units", d.sse_per_sample}};
      if (*per_feature) out["per_feature"] = per_feature_json(model, metrics);
      if (!corruption->corrupt.empty()) out["corrupt"] = corruption->corrupt;
      out.update(probed);
      out.update(variational);
      std::printf("%s\n", out.dump().c_str());
      return;
    }
    std::printf("data                 %s (%lld x %lld)\n", data.source.c_str(), static_cast<long long>(data.rows()),
                static_cast<long long>(data.cols()));
    if (!corruption->corrupt.empty()) std::printf("input corrupted by   %s\n", corruption->corrupt.c_str());
    // The model's own units first (its training loss is in them), then the data's, when they differ.
    if (preprocessed(model)) std::printf("in preprocessed units (%s):\n", units.c_str());
    std::printf("mse per element      %.6f\n", m.mse_per_element);
    std::printf("rmse per element     %.6f\n", std::sqrt(m.mse_per_element));
    std::printf("mae per element      %.6f\n", m.mae_per_element);
    std::printf("sse per sample       %.4f (max %.4f)\n", m.sse_per_sample, m.max_sse_per_sample);
    std::printf("%-20s %.6f\n", ("loss (" + model.loss + ")").c_str(), metrics.loss);
    if (preprocessed(model)) {
      std::printf("in the data's units:\n");
      std::printf("mse per element      %.6g\n", d.mse_per_element);
      std::printf("rmse per element     %.6g\n", std::sqrt(d.mse_per_element));
      std::printf("mae per element      %.6g\n", d.mae_per_element);
      std::printf("sse per sample       %.6g (max %.6g)\n", d.sse_per_sample, d.max_sse_per_sample);
    }
    if (*per_feature) print_per_feature(model, metrics);
    print_vae_metrics(variational);
    print_probe(probed);
  });
}

}  // namespace aekit::cli
