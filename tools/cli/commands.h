#pragma once
// Each verb of the aekit command registers itself on the application. The library throws
// InputError for bad input; main() alone turns exceptions into one line and an exit code.
#include <aekit/options/train_options.h>
#include <aekit/train/train_job.h>

#include <CLI/CLI.hpp>

namespace aekit::cli {

void add_train_command(CLI::App& app);
void add_eval_command(CLI::App& app);
void add_encode_command(CLI::App& app);
void add_decode_command(CLI::App& app);
void add_reconstruct_command(CLI::App& app);
void add_info_command(CLI::App& app);
void add_score_command(CLI::App& app);
void add_threshold_command(CLI::App& app);
void add_demo_command(CLI::App& app);
void add_pca_command(CLI::App& app);
void add_plot_latent_command(CLI::App& app);
void add_generate_command(CLI::App& app);

// Runs a training job with progress output, prints the test error and saves the model; `json`:
// a closing summary object on stdout (training_summary.h), everything else on stderr.
TrainJobResult train_and_save(const TrainOptions& options, bool json = false);
// The same for a recommender (options.ratings given): recommender_train.cpp.
void train_recommender_and_save(const TrainOptions& options, bool json = false);
// eval --ratings-test and the recommend verb: recommender_eval_command.cpp, recommend_command.cpp.
void add_recommender_eval_options(CLI::App* eval);
bool run_recommender_eval(const std::string& model_path, bool json);  // false without --ratings-test
void add_recommend_command(CLI::App& app);

}  // namespace aekit::cli

namespace aekit::cli {
// Originals (first `count` rows of preprocessed x) above their reconstructions, `per_row` a row.
void write_reconstruction_grid(TrainedModel& model, const Tensor& x, int64_t count, const std::string& png,
                               int64_t per_row);
// The same for the listed rows of x, in that order.
void write_reconstruction_grid(TrainedModel& model, const Tensor& x, const std::vector<int64_t>& rows,
                               const std::string& png, int64_t per_row);
}  // namespace aekit::cli
