// aekit info: what a model file holds, or (--system) what this machine and build run on.
#include "commands.h"
#include "openmp_waiting.h"
#include "training_summary.h"

#include <aekit/backend/cpu/bf16.h>
#include <aekit/backend/cpu/gemm.h>
#include <aekit/backend/cpu/matmul.h>
#include <aekit/core/error.h>
#include <aekit/core/printable.h>
#include <aekit/core/threads.h>
#include <aekit/core/worker_team.h>
#include <aekit/models/trained_model.h>
#include <aekit/recsys/recommender.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <omp.h>

namespace aekit::cli {

namespace {

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  return "unknown";
}

void print_system() {
  std::printf("aekit        %s\n", AEKIT_VERSION);
  std::printf("cpu          %s (%d logical cores)\n", cpu_model().c_str(), omp_get_num_procs());
  std::printf("avx512f      %s\n", __builtin_cpu_supports("avx512f") ? "yes" : "no");
  std::printf("bf16         %s\n", cpu::bf16_description().c_str());
  std::printf("gemm         %s (backward products)\n", cpu::gemm_description().c_str());
  std::printf("dense fwd    %s\n", cpu::linear_forward_description().c_str());
  std::printf("threads      %d for eval, encode and the other verbs (OpenMP); training picks its own from the work\n"
              "             per batch and the load (see its banner); --threads or OMP_NUM_THREADS set either\n",
              num_threads());
  std::printf("waiting      %s\n", openmp_waiting_description().c_str());
  std::printf("recommender  steps on rating rows run on aekit's worker team (spins %d us for the next loop, then\n"
              "             sleeps), on all the threads or on one, whichever has lately been faster\n",
              kSpinMicroseconds);
}

// The training record: where the data came from, how it went, and every setting.
void print_training(const nlohmann::json& t) {
  if (!t.is_object() || t.empty()) return;
  if (t.contains("data") && t.contains("rows"))
    std::printf("trained on   %s (%s rows)\n", t["data"].get<std::string>().c_str(), t["rows"].dump().c_str());
  if (t.value("method", "") == "pca")
    std::printf("method       PCA, %s components, explained variance %.4f\n", t.value("components", nlohmann::json()).dump().c_str(),
                t.value("explained_variance_ratio", 0.0));
  if (t.contains("history") && t["history"].is_array() && !t["history"].empty()) {
    const auto& last = t["history"].back();
    double seconds = 0;
    for (const auto& e : t["history"]) seconds += e.value("seconds", 0.0);
    std::printf("epochs       %zu (%.1f s), final train loss %.6f, best epoch %s\n", t["history"].size(), seconds,
                last.value("train_loss", 0.0), t.value("best_epoch", nlohmann::json()).dump().c_str());
  }
  if (const std::string stopping = stopping_summary(t); !stopping.empty())
    std::printf("stopping     %s\n", stopping.c_str());
  if (t.contains("warnings") && t["warnings"].is_array())
    for (const nlohmann::json& w : t["warnings"])
      if (w.is_string()) std::printf("warning      %s\n", printable(w.get<std::string>()).c_str());
  if (t.contains("test") && t["test"].is_object() && t["test"].contains("mse_per_element"))
    std::printf("test         %s: mse per element %.6f\n", t["test"].value("data", "?").c_str(),
                t["test"].value("mse_per_element", 0.0));
  if (t.contains("settings") && t["settings"].is_object()) {
    std::string line;
    for (const auto& [key, value] : t["settings"].items())
      if (value.is_string() && !value.get<std::string>().empty()) line += " " + key + "=" + value.get<std::string>();
    std::printf("settings    %s\n", line.c_str());
  }
}

void print_network(const TrainedModel& model) {
  const ModelSpec& spec = model.network->spec();
  std::printf("network      %s\n", describe_network(*model.network).c_str());
  if (spec.input_shape.size() == 3) {
    // Image models: one layer a line with the shape of one sample after it, as training printed.
    for (const std::string& line : describe_layers(*model.network)) {
      const size_t space = line.find(' ');
      std::printf("%-12s %s\n", line.substr(0, space).c_str(), line.substr(space + 1).c_str());
    }
  } else {
    std::printf("encoder      %s\n", layer_specs_text(spec.encoder).c_str());
    std::printf("decoder      %s\n", layer_specs_text(spec.decoder).c_str());
  }
  std::printf("parameters   %lld\n", static_cast<long long>(model.network->parameter_count()));
  std::printf("loss         %s\n", model.loss.c_str());
  std::printf("preprocess   %s\n", model.preprocessor.to_json().value("kind", "?").c_str());
  if (model.image_height)
    std::printf("images       %lld x %lld\n", static_cast<long long>(model.image_height),
                static_cast<long long>(model.image_width));
  if (!model.feature_names.empty()) {
    std::string names;
    for (const std::string& name : model.feature_names) names += (names.empty() ? "" : ", ") + printable(name);
    std::printf("features     %s\n", names.c_str());
  }
  if (model.anomaly)
    if (auto t = model.anomaly->threshold(model.anomaly->metric))
      std::printf("anomaly      %s score above %.6g (%s)\n", score_metric_name(model.anomaly->metric), *t,
                  model.anomaly->rule.c_str());
  print_training(model.training);
}

// A recommender: its ratings and id maps, then its network as for any model.
void print_recommender(const std::string& path) {
  const Recommender model = load_recommender(path);
  std::printf("model        %s\n", path.c_str());
  std::printf("recommender  %s (%s as rows)\n", model.kind.c_str(), model.item_rows ? "items" : "users");
  std::printf("ratings      %lld users x %lld items, %lld training ratings in [%g, %g]\n",
              static_cast<long long>(model.train.users.size()), static_cast<long long>(model.train.items.size()),
              static_cast<long long>(model.train.by_user.nnz()), static_cast<double>(model.rating_low),
              static_cast<double>(model.rating_high));
  if (model.implicit_threshold) {
    // What the model reads as interactions (--interaction-threshold, --low-rating-weight): fold-in
    // weighs a new user's ratings the same way.
    if (*model.implicit_threshold <= model.rating_low)  // at or below every training rating
      std::printf("input        every rating an interaction of weight 1\n");
    else if (model.low_rating_weight > 0)
      std::printf("input        ratings >= %g interactions of weight 1, the lower ones of weight %g\n",
                  static_cast<double>(*model.implicit_threshold), static_cast<double>(model.low_rating_weight));
    else
      std::printf("input        ratings >= %g interactions of weight 1, the lower ones left out\n",
                  static_cast<double>(*model.implicit_threshold));
  }
  // EASE's lambda as the model was solved with it: ease-vae's joint choice (training "mix"), else
  // EASE's own (training "ease").
  const nlohmann::json& trained = model.network.training;
  for (const char* record : {"mix", "ease"})
    if (trained.contains(record) && trained[record].is_object() && trained[record].contains("lambda") &&
        trained[record]["lambda"].is_number()) {
      std::printf("ease lambda  %g\n", trained[record]["lambda"].get<double>());
      break;
    }
  if (!model.ease.empty())
    std::printf("mix          %g x EASE (item map: %s) + %g x the network below, each standardised per user\n",
                1.0 - model.mix_weight, model.ease.describe().c_str(), static_cast<double>(model.mix_weight));
  print_network(model.network);
  const nlohmann::json& t = model.network.training;
  if (!t.contains("test") || !t["test"].is_object()) return;
  const nlohmann::json& test = t["test"];
  if (test.contains("rmse") && test["rmse"].is_number())
    std::printf("test         rmse %.4f, bias baseline %.4f\n", test["rmse"].get<double>(),
                test.value("baseline_rmse", 0.0));
  if (test.contains("ndcg@100") && test["ndcg@100"].is_number())
    std::printf("test         ndcg@100 %.4f, popularity %.4f\n", test["ndcg@100"].get<double>(),
                test.value("popularity_ndcg@100", 0.0));
}

// The whole record of a model as one JSON object: what `info` prints, and every setting.
nlohmann::json network_json(const TrainedModel& model) {
  const ModelSpec& spec = model.network->spec();
  nlohmann::json j{{"network", describe_network(*model.network)},
                   {"encoder", layer_specs_text(spec.encoder)},
                   {"decoder", layer_specs_text(spec.decoder)},
                   {"input_shape", spec.input_shape},
                   {"parameters", model.network->parameter_count()},
                   {"loss", model.loss},
                   {"preprocess", model.preprocessor.to_json()},
                   {"training", model.training}};
  if (spec.input_shape.size() == 3) j["layers"] = describe_layers(*model.network);
  if (model.image_height) j["images"] = {model.image_height, model.image_width};
  if (!model.feature_names.empty()) j["feature_names"] = model.feature_names;
  if (model.anomaly) j["anomaly"] = model.anomaly->to_json();
  return j;
}

nlohmann::json model_json(const std::string& path) {
  if (!is_recommender_file(path)) {
    nlohmann::json j = network_json(load_trained_model(path));
    j["model"] = path;
    return j;
  }
  const Recommender model = load_recommender(path);
  nlohmann::json j = network_json(model.network);
  j["model"] = path;
  j["recommender"] = model.kind;
  j["rows_are"] = model.item_rows ? "items" : "users";
  j["users"] = model.train.users.size();
  j["items"] = model.train.items.size();
  j["training_ratings"] = model.train.by_user.nnz();
  j["rating_range"] = {model.rating_low, model.rating_high};
  return j;
}

void print_model(const std::string& path) {
  if (is_recommender_file(path)) return print_recommender(path);
  TrainedModel model = load_trained_model(path);
  std::printf("model        %s\n", path.c_str());
  print_network(model);
}

}  // namespace

void add_info_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("info", "describe a model file, or this system with --system");
  auto path = std::make_shared<std::string>();
  auto system = std::make_shared<bool>(false);
  auto json = std::make_shared<bool>(false);
  cmd->add_option("model", *path, "model file");
  cmd->add_flag("--system", *system, "report the CPU, the GEMM library and kernel, and threads");
  cmd->add_flag("--json", *json, "print the model's whole record (network, preprocessing, training) as one JSON object");
  cmd->callback([path, system, json] {
    if (*system) return print_system();
    if (path->empty()) fail("info needs a model file, or --system");
    if (*json) return static_cast<void>(std::printf("%s\n", model_json(*path).dump(2).c_str()));
    print_model(*path);
  });
}

}  // namespace aekit::cli
