// aekit train: fit an autoencoder to a dataset and save it.
#include "cli_util.h"
#include "commands.h"
#include "progress.h"

#include <aekit/backend/cpu/gemm.h>
#include <aekit/core/threads.h>
#include <aekit/options/config_file.h>
#include <aekit/train/train_job.h>

#include <cstdio>

namespace aekit::cli {

namespace {

void print_start(const TrainOptions& o, const Dataset& data, Autoencoder& net, const ThreadChoice& threads) {
  std::fprintf(stderr, "aekit: %s (%lld parameters) on %s (%lld x %lld)\n", describe_network(net).c_str(),
               static_cast<long long>(net.parameter_count()), data.source.c_str(),
               static_cast<long long>(data.x.rows()), static_cast<long long>(data.x.cols()));
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

TrainJobResult train_and_save(const TrainOptions& options) {
  const std::vector<std::string> inputs{options.data, options.test};
  check_output_path(options.out, "--out", inputs);
  if (!options.metrics_csv.empty()) check_output_path(options.metrics_csv, "--metrics-csv", inputs);
  ProgressPrinter progress(options.metrics_csv);
  TrainJobHooks hooks;
  hooks.on_start = [&](const Dataset& data, Autoencoder& net, const ThreadChoice& threads) {
    print_start(options, data, net, threads);
  };
  hooks.observer = &progress;

  TrainJobResult job = run_train_job(options, hooks);
  if (job.history.skipped_batches > 0)
    std::fprintf(stderr, "aekit: skipped %lld batches with a non-finite loss or gradient (--skip-nonfinite)\n",
                 static_cast<long long>(job.history.skipped_batches));
  if (!std::isnan(job.test_mse_per_element))
    std::printf("test reconstruction MSE per element: %.6f (%s)\n", job.test_mse_per_element, options.test.c_str());
  save_trained_model(options.out, job.model);
  std::printf("model written to %s\n", options.out.c_str());
  return job;
}

void add_train_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("train", "train an autoencoder and save it");
  auto config_path = std::make_shared<std::string>();
  cmd->add_option("--config", *config_path, "read options from a file (key = value lines; command-line flags win)")
      ->type_name("PATH");
  auto given = add_train_table(*cmd);
  cmd->callback([cmd, given, config_path] {
    TrainOptions options;
    const auto config = config_path->empty() ? std::map<std::string, std::string>{} : read_train_config(*config_path);
    apply_train_options(*cmd, *given, config, options);
    if (!options.ratings.empty()) return train_recommender_and_save(options);
    train_and_save(options);
  });
}

}  // namespace aekit::cli
