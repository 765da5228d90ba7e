// aekit reconstruct: run data through the model; show originals above reconstructions as a PNG,
// the first samples or (--worst N) the N it reconstructs worst by its anomaly score.
#include "anomaly_cli.h"
#include "cli_util.h"
#include "commands.h"
#include "model_images.h"

#include <aekit/core/error.h>
#include <aekit/core/image_shape.h>
#include <aekit/core/threads.h>
#include <aekit/io/png_grid.h>

#include <algorithm>
#include <cstdio>
#include <numeric>

namespace aekit::cli {

namespace {

// Scales both tensors into [0, 1] for display with the originals' range, so a reconstruction is
// shown on the same scale as what it reconstructs.
void to_display_range(Tensor& originals, Tensor& reconstructions) {
  auto [lo, hi] = std::minmax_element(originals.span().begin(), originals.span().end());
  const float low = *lo, range = std::max(*hi - *lo, 1e-12f);
  for (Tensor* t : {&originals, &reconstructions})
    for (float& v : t->span()) v = (v - low) / range;
}

Tensor select_rows(const Tensor& x, const std::vector<int64_t>& rows) {
  Tensor out({static_cast<int64_t>(rows.size()), x.cols()});
  for (size_t i = 0; i < rows.size(); ++i) std::copy_n(x.row(rows[i]), x.cols(), out.row(static_cast<int64_t>(i)));
  return out;
}

// --worst N: the N rows with the highest anomaly scores, and one line naming them.
std::vector<int64_t> worst_reconstructed(TrainedModel& model, const Dataset& data, int64_t count,
                                         const std::string& metric_flag, FILE* status) {
  const ScoreMetric metric = chosen_metric(model, metric_flag);
  const ErrorSpread* spread = model.anomaly ? &model.anomaly->spread : nullptr;
  const std::vector<double> scores = anomaly_scores(*model.network, data.x, metric, spread, data.source);
  const std::vector<int64_t> rows = worst_rows(scores, count);
  std::fprintf(status, "worst %zu of %lld by %s score (row score, highest first):", rows.size(),
              static_cast<long long>(data.x.rows()), score_metric_name(metric));
  for (int64_t r : rows) std::fprintf(status, " %lld %.6g", static_cast<long long>(r), scores[static_cast<size_t>(r)]);
  std::fprintf(status, "\n");
  return rows;
}

}  // namespace

void write_reconstruction_grid(TrainedModel& model, const Tensor& x, int64_t count, const std::string& png,
                               int64_t per_row) {
  std::vector<int64_t> rows(static_cast<size_t>(std::min(count, x.rows())));
  std::iota(rows.begin(), rows.end(), 0);
  write_reconstruction_grid(model, x, rows, png, per_row);
}

void write_reconstruction_grid(TrainedModel& model, const Tensor& x, const std::vector<int64_t>& rows,
                               const std::string& png, int64_t per_row) {
  const ImageShape shape = require_images(model);
  const auto count = static_cast<int64_t>(rows.size());
  Tensor originals = select_rows(x, rows);
  Tensor recon = model.network->reconstruct(originals.view());
  model.preprocessor.invert(originals);
  model.preprocessor.invert(recon);
  to_display_range(originals, recon);
  std::vector<Tensor> grid;
  for (int64_t r = 0; r < count; r += per_row) {
    const int64_t n = std::min(per_row, count - r);
    grid.push_back(copy_rows(originals, r, n));
    grid.push_back(copy_rows(recon, r, n));
  }
  write_image_grid(png, grid, shape);
}

void add_reconstruct_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("reconstruct", "reconstruct data; write the result and/or a PNG grid");
  struct Args {
    std::string model, data, png, out, metric;
    int64_t count = 20, per_row = 10, worst = 0;
    int threads = 0;
  };
  auto a = std::make_shared<Args>();
  cmd->add_option("model", a->model, "model file")->required();
  cmd->add_option("--data", a->data, "dataset: mnist:test, file.npy, ... (- for stdin)")->required();
  cmd->add_option("--png", a->png, "PNG grid: originals above their reconstructions");
  cmd->add_option("--out", a->out, "reconstructions in the data's units (.npy, .csv, .tsv; - for CSV on stdout)");
  cmd->add_option("--count", a->count, "images in the PNG grid [20]")->check(CLI::Range(1, 1000));
  cmd->add_option("--per-row", a->per_row, "images per grid row [10]")->check(CLI::Range(1, 100));
  cmd->add_option("--worst", a->worst, "draw the N worst-reconstructed samples (highest anomaly score) instead")
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--metric", a->metric, "score that ranks them for --worst: mse, sse, l1, zscore [the model's]");
  cmd->add_option("--threads", a->threads, "threads (0 = all cores)");
  auto csv = add_csv_flags(cmd);
  cmd->callback([a, csv] {
    if (a->png.empty() && a->out.empty()) fail("reconstruct needs --png FILE and/or --out FILE");
    if (a->worst > 0 && a->png.empty()) fail("--worst picks the samples of the --png grid: give --png FILE too");
    if (!a->metric.empty() && a->worst == 0) fail("--metric ranks the samples for --worst: give --worst N too");
    if (!a->png.empty()) check_output_path(a->png, "--png", {a->data, a->model});
    if (!a->out.empty()) check_table_output(a->out, "--out", {a->data, a->model});
    FILE* status = status_stream(a->out);
    set_num_threads(a->threads);
    TrainedModel model = load_trained_model(a->model);
    Dataset data = load_for_model(model, a->data, a->model, csv->csv());
    if (data.x.rows() == 0) fail(data.source, ": no rows to reconstruct");
    if (!a->png.empty() && a->worst > 0) {
      require_images(model);  // before scoring and printing the rows
      const std::vector<int64_t> rows = worst_reconstructed(model, data, a->worst, a->metric, status);
      write_reconstruction_grid(model, data.x, rows, a->png, a->per_row);
      std::fprintf(status, "grid of the %zu worst-reconstructed originals and their reconstructions written to %s\n",
                  rows.size(), a->png.c_str());
    } else if (!a->png.empty()) {
      write_reconstruction_grid(model, data.x, a->count, a->png, a->per_row);
      std::fprintf(status, "grid of %lld originals and reconstructions written to %s\n",
                  static_cast<long long>(std::min(a->count, data.x.rows())), a->png.c_str());
    }
    if (!a->out.empty()) {
      Tensor recon = model.network->reconstruct(data.x.view());
      model.preprocessor.invert(recon);
      write_matrix(a->out, recon, table_columns(output_feature_names(model), data));
      std::fprintf(status, "%lld reconstructions written to %s\n", static_cast<long long>(recon.rows()), a->out.c_str());
    }
  });
}

}  // namespace aekit::cli
