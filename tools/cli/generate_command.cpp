// aekit generate: new examples from a variational autoencoder, codes drawn from the prior N(0, I)
// and decoded; or (--grid) the decoded 2-D latent manifold, the codes at the normal's quantiles of
// an evenly spaced grid (Kingma & Welling 2014, figure 4).
#include "cli_util.h"
#include "commands.h"
#include "model_images.h"

#include <aekit/core/error.h>
#include <aekit/core/threads.h>
#include <aekit/models/vae.h>

#include <algorithm>
#include <cstdio>

namespace aekit::cli {

namespace {

struct GenerateArgs {
  std::string model, png, out;
  int64_t count = 64, per_row = 8, grid_size = 20;
  bool grid = false;
  uint64_t seed = 0;
  int threads = 0;
};

// Decoded values in the model's input space as intensities: left as they are when they lie in
// [0, 1] (the sigmoid output of a model of scaled images), stretched from their own range otherwise.
void to_display_range(Tensor& images) {
  auto [lo, hi] = std::minmax_element(images.span().begin(), images.span().end());
  if (*lo >= 0.0f && *hi <= 1.0f) return;
  const float low = *lo, range = std::max(*hi - *lo, 1e-12f);
  for (float& v : images.span()) v = (v - low) / range;
}

}  // namespace

void add_generate_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("generate", "sample new examples from a variational autoencoder (codes from N(0, I))");
  auto a = std::make_shared<GenerateArgs>();
  cmd->add_option("model", a->model, "model file (trained with --variational)")->required();
  cmd->add_option("-n,--count", a->count, "samples to draw [64]")->check(CLI::Range(int64_t{1}, int64_t{100000}));
  cmd->add_option("--png", a->png, "PNG grid of the samples (models of images)");
  cmd->add_option("--out", a->out, "the samples in the data's units (.npy, .csv, .tsv; - for CSV on stdout)");
  cmd->add_option("--seed", a->seed, "seed of the codes drawn [0]");
  cmd->add_option("--per-row", a->per_row, "images per grid row [8]")->check(CLI::Range(int64_t{1}, int64_t{100}));
  cmd->add_flag("--grid", a->grid, "decode a grid over a 2-value code's latent space instead of random codes");
  cmd->add_option("--grid-size", a->grid_size, "points per side of --grid [20]")->check(CLI::Range(int64_t{2}, int64_t{100}));
  cmd->add_option("--threads", a->threads, "threads (0 = all cores)");
  cmd->callback([a] {
    set_num_threads(a->threads);
    if (a->png.empty() && a->out.empty()) fail("generate needs --png FILE.png and/or --out FILE.npy");
    if (!a->png.empty()) check_output_path(a->png, "--png", {a->model});
    if (!a->out.empty()) check_table_output(a->out, "--out", {a->model});
    FILE* status = status_stream(a->out);
    TrainedModel model = load_trained_model(a->model);
    Autoencoder& net = *model.network;
    require_generative(net, a->model);
    const ImageShape shape = a->png.empty() ? ImageShape{} : require_images(model);
    if (a->grid && net.code_size() != 2)
      fail("--grid draws a 2-value code's latent space; ", a->model, " has a code of ", net.code_size(), " values");
    // Checked before anything is allocated: the samples hold count x input values.
    constexpr int64_t kMaxValues = int64_t{1} << 28;
    const int64_t count = a->grid ? a->grid_size * a->grid_size : a->count;
    if (count > kMaxValues / std::max<int64_t>(net.input_size(), net.code_size()))
      fail("-n ", count, " samples of ", net.input_size(), " values are more than ", kMaxValues, " values; draw fewer");
    const Tensor codes = a->grid ? latent_grid(a->grid_size) : sample_prior(a->count, net.code_size(), a->seed);
    Tensor samples = net.decode(codes.view());
    if (!a->png.empty()) {
      Tensor shown = samples;
      to_display_range(shown);
      const int64_t per_row = a->grid ? a->grid_size : a->per_row;
      std::vector<Tensor> rows;
      for (int64_t r = 0; r < shown.rows(); r += per_row) rows.push_back(copy_rows(shown, r, std::min(per_row, shown.rows() - r)));
      write_image_grid(a->png, rows, shape);
    }
    model.preprocessor.invert(samples);
    if (!a->out.empty()) write_matrix(a->out, samples);
    if (a->grid)
      std::fprintf(status, "%lldx%lld grid over the 2-value code (normal quantiles) decoded", static_cast<long long>(a->grid_size),
                  static_cast<long long>(a->grid_size));
    else
      std::fprintf(status, "%lld codes of %lld values drawn from N(0, I) (seed %llu) decoded", static_cast<long long>(codes.rows()),
                  static_cast<long long>(net.code_size()), static_cast<unsigned long long>(a->seed));
    if (!a->png.empty()) std::fprintf(status, "; grid written to %s", a->png.c_str());
    if (!a->out.empty()) std::fprintf(status, "; samples written to %s", a->out.c_str());
    std::fprintf(status, "\n");
  });
}

}  // namespace aekit::cli
