// aekit threshold: choose an anomaly threshold from saved scores, without retraining; optionally
// store it in a model.
#include "anomaly_cli.h"
#include "cli_util.h"
#include "commands.h"

#include <aekit/anomaly/threshold.h>
#include <aekit/core/error.h>

#include <cstdio>
#include <nlohmann/json.hpp>

namespace aekit::cli {

void add_threshold_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("threshold", "choose an anomaly threshold from scores (aekit score's output)");
  struct Flags {
    std::string scores, threshold = "auto", model, metric;
    double contamination = 0;
    bool json = false;
  };
  auto f = std::make_shared<Flags>();
  cmd->add_option("scores", f->scores, "scores: aekit score's CSV, a one-column CSV or a .npy vector")->required();
  cmd->add_option("--contamination", f->contamination, "the expected fraction of anomalies among the scores");
  cmd->add_option("--threshold", f->threshold, "auto (median + 3 MAD of the scores) or a value [auto]");
  cmd->add_option("--model", f->model, "store the threshold in this model (rewritten atomically)");
  cmd->add_option("--metric", f->metric, "with --model: the metric the scores are in [the model's]");
  cmd->add_flag("--json", f->json, "print one JSON object");
  auto csv = add_csv_flags(cmd);
  cmd->callback([f, csv] {
    const ThresholdRule rule = ThresholdRule::parse(f->contamination, f->threshold);
    std::optional<TrainedModel> model;
    if (!f->model.empty()) {  // loaded first: a bad model fails before any work
      model = load_trained_model(f->model);
      if (!model->anomaly)
        fail(f->model, " has no anomaly profile (it predates thresholds); retrain it to store one");
    }
    const std::vector<double> scores = read_scores(f->scores, csv->csv());
    const double threshold = rule.apply(scores);
    int64_t above = 0;
    for (double s : scores) above += s > threshold;
    if (model) {
      const ScoreMetric metric = chosen_metric(*model, f->metric);
      model->anomaly->thresholds[metric] = threshold;
      model->anomaly->rule = rule.describe() + " on " + f->scores;
      save_trained_model(f->model, *model);
    }
    if (f->json) {
      nlohmann::json j{{"scores", f->scores},     {"samples", scores.size()}, {"rule", rule.describe()},
                       {"threshold", threshold}, {"predicted_anomalies", above}};
      if (model) j["model"] = f->model;
      std::printf("%s\n", j.dump().c_str());
      return;
    }
    std::printf("threshold %.9g (%s): %lld of %zu scores above it\n", threshold, rule.describe().c_str(),
                static_cast<long long>(above), scores.size());
    if (model) std::printf("stored in %s\n", f->model.c_str());
  });
}

}  // namespace aekit::cli
