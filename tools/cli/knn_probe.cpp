#include "knn_probe.h"

#include "cli_util.h"

#include <aekit/core/error.h>
#include <aekit/data/subsample.h>
#include <aekit/latent/knn.h>
#include <aekit/linalg/pca.h>

#include <cstdio>

namespace aekit::cli {

namespace {

std::string default_probe_train(const std::string& test_spec) {
  const std::string suffix = ":test";
  if (test_spec.size() > suffix.size() && test_spec.ends_with(suffix))
    return test_spec.substr(0, test_spec.size() - suffix.size()) + ":train";
  fail("--probe knn needs labelled training data: --probe-train SPEC");
}

void require_labels(const Dataset& data, const char* role) {
  if (data.labels.empty())
    fail(data.source, ": the ", role, " data has no labels (named sets bring theirs; CSV: --label-column)");
}

double knn_accuracy_of(const Tensor& train, const Dataset& train_data, const Tensor& test, const Dataset& test_data,
                       int k) {
  const std::vector<float> predicted = knn_classify(train.view(), train_data.labels.span(), test.view(), k);
  return accuracy(predicted, test_data.labels.span());
}

}  // namespace

std::shared_ptr<ProbeFlags> add_probe_flags(CLI::App* command) {
  auto flags = std::make_shared<ProbeFlags>();
  command->add_option("--probe", flags->kind, "also measure a classifier on the codes: knn")
      ->check(CLI::IsMember({"knn"}));
  command->add_option("--probe-train", flags->train,
                      "labelled training data for the probe [the :train split of a :test name]");
  command->add_option("--probe-k", flags->k, "neighbours of the kNN probe [5]");
  command->add_option("--probe-train-limit", flags->train_limit,
                      "probe training rows, drawn at random with seed 0 (0 = all) [10000]");
  return flags;
}

nlohmann::json run_probe(const ProbeFlags& flags, TrainedModel& model, const Dataset& test,
                         const std::string& model_path, const CsvOptions& csv) {
  if (flags.kind.empty()) return nlohmann::json::object();
  if (flags.train_limit < 0) fail("--probe-train-limit must be >= 0, got ", flags.train_limit);
  require_labels(test, "evaluated");
  const std::string train_spec = flags.train.empty() ? default_probe_train(test.source) : flags.train;
  Dataset train = load_for_model(model, train_spec, model_path, csv);
  require_labels(train, "probe training");
  subsample_rows(train, flags.train_limit, 0);
  if (flags.k < 1 || flags.k > train.x.rows())
    fail("--probe-k ", flags.k, ": must be between 1 and the probe's training rows (", train.x.rows(), ")");

  const Tensor train_codes = model.network->encode(train.x.view());
  const Tensor test_codes = model.network->encode(test.x.view());
  const int64_t code_size = model.network->code_size();
  const Pca pca = fit_pca(train.x.view(), std::min(code_size, train.x.cols()));

  nlohmann::json result;
  result["knn_accuracy"] = knn_accuracy_of(train_codes, train, test_codes, test, flags.k);
  result["knn_raw_accuracy"] = knn_accuracy_of(train.x, train, test.x, test, flags.k);
  result["knn_pca_accuracy"] =
      knn_accuracy_of(pca_project(pca, train.x.view()), train, pca_project(pca, test.x.view()), test, flags.k);
  result["knn_pca_components"] = pca.size();
  result["knn_k"] = flags.k;
  result["probe_train"] = train.source;
  result["probe_train_rows"] = train.x.rows();
  return result;
}

void print_probe(const nlohmann::json& r) {
  if (r.empty()) return;
  std::printf("knn probe            k=%d, trained on %lld rows of %s\n", r["knn_k"].get<int>(),
              static_cast<long long>(r["probe_train_rows"].get<int64_t>()), r["probe_train"].get<std::string>().c_str());
  std::printf("knn accuracy codes   %.4f\n", r["knn_accuracy"].get<double>());
  std::printf("knn accuracy raw     %.4f\n", r["knn_raw_accuracy"].get<double>());
  std::printf("knn accuracy pca-%-3lld %.4f\n", static_cast<long long>(r["knn_pca_components"].get<int64_t>()),
              r["knn_pca_accuracy"].get<double>());
}

}  // namespace aekit::cli
