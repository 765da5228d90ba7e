// aekit train --ratings: train a recommender, print its test metrics beside the baselines, save.
#include "cli_util.h"
#include "commands.h"
#include "interruption.h"
#include "progress.h"
#include "recommender_report.h"
#include "training_summary.h"

#include <aekit/core/threads.h>
#include <aekit/recsys/recommender_job.h>
#include <aekit/recsys/recommender_kinds.h>

#include <cstdio>
#include <string>

namespace aekit::cli {

namespace {

// What ease's or edlae's validation tried and chose (ease-vae's EASE part: `kind` ease-vae).
void print_ease_choice(const std::string& kind, const nlohmann::json& ease) {
  const bool edlae = kind == "edlae";
  const bool weighted = ease.contains("low_rating_weight");
  const char* relevance = weighted ? " (held-out positives)" : "";
  for (const auto& v : ease.at("validation")) {
    std::fprintf(stderr, "aekit:");
    if (weighted) std::fprintf(stderr, " low-rating weight %-4g", v.at("low_rating_weight").get<double>());
    if (edlae) std::fprintf(stderr, " dropout %-5g", v.at("dropout").get<double>());
    std::fprintf(stderr, " lambda %-8g validation NDCG@100 %.4f%s\n", v.at("lambda").get<double>(),
                 v.at("ndcg@100").get<double>(), relevance);
  }
  std::fprintf(stderr, "aekit: %s solved with", kind == "ease-vae" ? "ease-vae's EASE part" : kind.c_str());
  if (weighted) std::fprintf(stderr, " low-rating weight %g,", ease.at("low_rating_weight").get<double>());
  if (edlae) std::fprintf(stderr, " dropout %g,", ease.at("dropout").get<double>());
  std::fprintf(stderr, " lambda %g\n", ease.at("lambda").get<double>());
}

// ease-vae's lambda and mix weight: each pair tried on the network's carve, and the one kept.
void print_mix_choice(const nlohmann::json& mix) {
  for (const auto& v : mix.at("validation"))
    std::fprintf(stderr, "aekit: lambda %-6g mix weight %-5g validation NDCG@100 %.4f\n", v.at("lambda").get<double>(),
                 v.at("weight").get<double>(), v.at("ndcg@100").get<double>());
  const double a = mix.at("weight").get<double>();
  std::fprintf(stderr,
               "aekit: ease-vae mixes %g x EASE (lambda %g) + %g x Mult-VAE, each part's scores standardised per user\n",
               1.0 - a, mix.at("lambda").get<double>(), a);
}

}  // namespace

void train_recommender_and_save(const TrainOptions& options, bool json) {
  check_output_path(options.out, "--out");
  if (!options.metrics_csv.empty()) check_output_path(options.metrics_csv, "--metrics-csv");
  ProgressPrinter progress(options.metrics_csv);
  RecommenderJobHooks hooks;
  hooks.observer = &progress;
  hooks.stop = stop_request();
  // The data line is said when the first work begins (a network's start, a stage: EASE's solve), so
  // that it comes first, and an option refused before any work is still the only line printed.
  std::string data_line, kind;
  const auto say_data = [&data_line] {
    std::fputs(data_line.c_str(), stderr);
    data_line.clear();
  };
  hooks.on_data = [&](const Recommender& model, int64_t train_ratings, int64_t test_ratings) {
    kind = model.kind;
    data_line = "aekit: " + model.kind + " on " + options.ratings + ": " + std::to_string(model.train.users.size()) +
                " users x " + std::to_string(model.train.items.size()) + " items, " + std::to_string(train_ratings) +
                " training and " + std::to_string(test_ratings) + " test ratings\n";
  };
  hooks.on_start = [&](const Recommender& model) {
    say_data();
    Autoencoder& net = *model.network.network;
    if (recommender_kind(model.kind).closed_form) {  // solved already: say what was chosen
      print_ease_choice(model.kind, model.network.training.at("ease"));
      return;
    }
    std::fprintf(stderr,
                 "aekit: %s (%lld parameters), input dropout %g, %s lr %g, weight decay %g, batch %lld, %d epochs, "
                 "%d threads\n",
                 describe_network(net).c_str(), static_cast<long long>(net.parameter_count()),
                 static_cast<double>(options.input_dropout), options.train.optimizer.name.c_str(),
                 static_cast<double>(options.train.optimizer.lr), static_cast<double>(options.train.optimizer.weight_decay),
                 static_cast<long long>(options.train.batch_size), options.train.epochs, num_threads());
    stop_on_signals();  // from here on, Ctrl-C writes a checkpoint
  };
  hooks.on_stage = [&](const std::string& what) {
    say_data();
    std::fprintf(stderr, "aekit: %s: %s\n", kind.c_str(), what.c_str());
  };
  hooks.on_ease = print_ease_choice;
  hooks.on_mix = print_mix_choice;
  hooks.on_refit = [&options](int epochs) {
    std::fprintf(stderr, "aekit: refit: training anew on all the training ratings for %d epochs (the best on validation)%s\n",
                 epochs,
                 options.metrics_csv.empty() ? "" : "; its epochs follow the selection run's in --metrics-csv, numbered from 1 again");
  };
  RecommenderJobResult job;
  with_checkpoint_messages(options, [&] {
    job = run_recommender_job(options, hooks);
    save_recommender(options.out, job.model);
  });
  const nlohmann::json& training = job.model.network.training;
  const bool refitted = training.contains("refit");
  if (std::string stopping = stopping_summary(training); !stopping.empty()) {
    // The selection run's weights are not the model with --refit: it only chose the epoch count.
    const std::string kept = "kept the weights of epoch ";
    if (const size_t at = stopping.find(kept); refitted && at != std::string::npos)
      stopping.replace(at, kept.size(), "its best epoch was ");
    std::fprintf(stderr, "aekit: %s%s\n", refitted ? "the selection run: " : "", stopping.c_str());
  }
  // With --refit the summary above describes the selection run, whose weights were not kept.
  if (refitted)
    std::fprintf(stderr, "aekit: the model written is the refit's network after its %d epochs on all the training ratings\n",
                 training["refit"].value("epochs", 0));
  if (job.evaluation && !json) print_recommender_evaluation(*job.evaluation);  // --json: in the summary's "test"
  std::fprintf(json ? stderr : stdout, "model written to %s\n", options.out.c_str());
  if (json) {
    nlohmann::json summary = training_summary_json(training, options.out);
    // best_epoch and the losses are the selection run's; the model is the refit's.
    if (refitted) summary["refit_epochs"] = training["refit"].value("epochs", 0);
    std::printf("%s\n", summary.dump().c_str());
  }
}

}  // namespace aekit::cli
