// aekit train: fit an autoencoder to a dataset and save it.
#include "cli_util.h"
#include "commands.h"
#include "interruption.h"
#include "progress.h"
#include "training_summary.h"

#include <aekit/backend/cpu/gemm.h>
#include <aekit/core/denormals.h>
#include <aekit/core/threads.h>
#include <aekit/options/config_file.h>
#include <aekit/train/train_job.h>

#include <cstdio>

namespace aekit::cli {

namespace {

void print_start(const TrainOptions& o, const Dataset& data, Autoencoder& net, const ThreadChoice& threads) {
  std::fprintf(stderr, "aekit: %s (%lld parameters) on %s (%lld x %lld)\n", describe_network(net).c_str(),
               static_cast<long long>(net.parameter_count()), data.source.c_str(),
               static_cast<long long>(data.rows()), static_cast<long long>(data.cols()));
  std::fprintf(stderr, "aekit: %s lr %g, batch %lld, %d epochs, loss %s, %d threads (%s), %s\n",
               o.train.optimizer.name.c_str(), static_cast<double>(o.train.optimizer.lr),
               static_cast<long long>(o.train.batch_size), o.train.epochs, o.loss.c_str(), num_threads(),
               threads.reason.c_str(), cpu::gemm_description().c_str());
  // Image models: every layer with the shape of one sample after it.
  bool images = false;
  for (size_t i = 0; i < net.layer_count(); ++i) images = images || net.output_shape(i).size() == 3;
  if (images)
    for (const std::string& line : describe_layers(net)) std::fprintf(stderr, "aekit:   %s\n", line.c_str());
}

}  // namespace

TrainJobResult train_and_save(const TrainOptions& options, bool json) {
  const std::vector<std::string> inputs{options.data, options.test};
  check_output_path(options.out, "--out", inputs);
  if (!options.metrics_csv.empty()) check_output_path(options.metrics_csv, "--metrics-csv", inputs);
  ProgressPrinter progress(options.metrics_csv);
  TrainJobHooks hooks;
  hooks.on_start = [&](const Dataset& data, Autoencoder& net, const ThreadChoice& threads) {
    print_start(options, data, net, threads);
    stop_on_signals();  // from here on, Ctrl-C writes a checkpoint
  };
  hooks.observer = &progress;
  hooks.on_warning = [](const std::string& warning) { std::fprintf(stderr, "aekit: warning: %s\n", warning.c_str()); };
  hooks.on_note = [](const std::string& line) { std::fprintf(stderr, "aekit: %s\n", line.c_str()); };

  hooks.stop = stop_request();
  TrainJobResult job;
  with_checkpoint_messages(options, [&] {
    job = run_train_job(options, hooks);
    save_trained_model(options.out, job.model);
  });
  if (job.history.skipped_batches > 0)
    std::fprintf(stderr, "aekit: skipped %lld batches with a non-finite loss or gradient (--skip-nonfinite)\n",
                 static_cast<long long>(job.history.skipped_batches));
  if (const std::string stopping = stopping_summary(job.model.training); !stopping.empty())
    std::fprintf(stderr, "aekit: %s\n", stopping.c_str());
  // With --json, stdout carries the one closing object and the human lines go to stderr.
  FILE* report = json ? stderr : stdout;
  if (!std::isnan(job.test_mse_per_element))
    std::fprintf(report, "test reconstruction MSE per element: %.6f (%s)\n", job.test_mse_per_element,
                 options.test.c_str());
  std::fprintf(report, "model written to %s\n", options.out.c_str());
  if (json) std::printf("%s\n", training_summary_json(job.model.training, options.out).dump().c_str());
  return job;
}

void add_train_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("train", "train an autoencoder and save it");
  auto config_path = std::make_shared<std::string>();
  cmd->add_option("--config", *config_path,
                  "read options from a file (key = value lines, paths relative to the file; flags win)")
      ->type_name("PATH")
      ->group("Data");
  cmd->footer(
      "Examples:\n"
      "  aekit train --data mnist:train --test mnist:test --epochs 10 --out model.aek\n"
      "  aekit train --data table.csv --label-column -1 --arch 30-16-2 --activation relu --code-activation identity\n"
      "  aekit train --config examples/mnist_conv_autoencoder.conf --epochs 3\n"
      "  aekit train --ratings movielens-small --holdout 0.1 --out rec.aek\n"
      "Boolean options may be given bare (--nesterov) or with a value (--shuffle false).");
  auto given = add_train_table(*cmd);
  auto json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json, "print a closing summary as one JSON object on stdout (the rest goes to stderr)")
      ->group("Output");
  cmd->callback([cmd, given, config_path, json] {
    TrainOptions options;
    const auto config = config_path->empty() ? std::map<std::string, std::string>{} : read_train_config(*config_path);
    apply_train_options(*cmd, *given, config, options);
    // Before any thread of the job exists (they inherit it): this process runs one job.
    if (options.flush_denormals) {
      set_denormal_flushing(true);
      std::fprintf(stderr, "aekit: subnormal floats are flushed to zero (--flush-denormals)\n");
    }
    if (!options.ratings.empty()) return train_recommender_and_save(options, *json);
    train_and_save(options, *json);
  });
}

}  // namespace aekit::cli
