// aekit plot-latent: the codes of a dataset as a 2-D scatter coloured by label (a 2-value code
// as it is, a larger one through a PCA of the codes).
#include "cli_util.h"
#include "commands.h"

#include <aekit/core/error.h>
#include <aekit/core/threads.h>
#include <aekit/data/subsample.h>
#include <aekit/latent/scatter_plot.h>
#include <aekit/linalg/pca.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

namespace aekit::cli {

namespace {

struct PlotArgs {
  std::string model, data, png;
  int64_t max_points = 10000;
  int64_t width = 860, height = 700;
  int threads = 0;
  std::shared_ptr<CsvFlags> csv;
};

}  // namespace

void add_plot_latent_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("plot-latent", "draw the codes of a dataset as a 2-D scatter coloured by label");
  auto a = std::make_shared<PlotArgs>();
  cmd->add_option("model", a->model, "model file")->required();
  cmd->add_option("--data", a->data, "dataset: mnist:test, file.npy, file.csv (with --label-column), ...")->required();
  cmd->add_option("--png", a->png, "picture to write")->required();
  cmd->add_option("--max-points", a->max_points, "draw at most this many samples, chosen at random (0 = all) [10000]");
  cmd->add_option("--width", a->width, "picture width in pixels [860]");
  cmd->add_option("--height", a->height, "picture height in pixels [700]");
  cmd->add_option("--threads", a->threads, "threads (0 = all cores)");
  a->csv = add_csv_flags(cmd);
  cmd->callback([a] {
    set_num_threads(a->threads);
    check_output_path(a->png, "--png");
    TrainedModel model = load_trained_model(a->model);
    if (model.network->code_size() < 2)
      fail(a->model, ": the code has ", model.network->code_size(), " value; a scatter plot needs at least 2");
    Dataset data = load_for_model(model, a->data, a->model, a->csv->csv());
    subsample_rows(data, a->max_points, 0);
    Tensor codes = model.network->encode(data.x.view());
    ScatterStyle style;
    style.width = a->width;
    style.height = a->height;
    style.title = data.source + " in " + std::filesystem::path(a->model).filename().string();
    if (codes.cols() > 2) {
      const Pca pca = fit_pca(codes.view(), 2);
      codes = pca_project(pca, codes.view());
      style.x_label = "code pc1";
      style.y_label = "pc2";
      std::printf("code of %lld values projected on its first 2 principal components (%.1f%% of its variance)\n",
                  static_cast<long long>(model.network->code_size()),
                  100.0 * pca.kept_variance() / std::max(pca.total_variance(), 1e-300));
    }
    if (data.labels.empty())
      std::printf("%s has no labels: one colour (CSV: --label-column)\n", data.source.c_str());
    write_scatter_png(a->png, codes.view(), data.labels.span(), style);
    std::printf("%lld points drawn to %s\n", static_cast<long long>(codes.rows()), a->png.c_str());
  });
}

}  // namespace aekit::cli
