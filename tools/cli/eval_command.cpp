// aekit eval: reconstruction metrics of a model on a dataset.
#include "cli_util.h"
#include "commands.h"
#include "eval_anomaly.h"
#include "eval_corruption.h"
#include "eval_vae.h"
#include "knn_probe.h"

#include <aekit/core/error.h>
#include <aekit/core/threads.h>
#include <aekit/losses/loss.h>
#include <aekit/train/trainer.h>

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace aekit::cli {

namespace {

struct Metrics {
  double mse_per_element = 0, mae_per_element = 0, sse_per_sample = 0, max_sse_per_sample = 0, loss = 0;
};

// Metrics of reconstructing x from `input` (x itself, or a corrupted copy).
Metrics measure(TrainedModel& model, const Tensor& x, const Tensor& input) {
  Metrics m;
  double sse_total = 0, abs_total = 0;
  // Chunk by chunk as Autoencoder::reconstruct computes them (the same bits), without holding
  // all reconstructions: a fresh buffer the size of the data was a quarter of eval's time.
  constexpr int64_t kChunk = 1024;
  for (int64_t first = 0; first < x.rows(); first += kChunk) {
    const int64_t n = std::min(kChunk, x.rows() - first);
    const Tensor& recon = model.network->forward(ConstMatrixView(input.row(first), n, input.cols()), Mode::Infer);
    for (int64_t r = 0; r < n; ++r) {
      const float* a = x.row(first + r);
      const float* b = recon.row(r);
      double sse = 0;
      for (int64_t c = 0; c < x.cols(); ++c) {
        const double d = static_cast<double>(b[c]) - a[c];
        sse += d * d;
        abs_total += std::fabs(d);
      }
      sse_total += sse;
      m.max_sse_per_sample = std::max(m.max_sse_per_sample, sse);
    }
  }
  const auto n = static_cast<double>(x.rows());
  m.mse_per_element = sse_total / (n * static_cast<double>(x.cols()));
  m.mae_per_element = abs_total / (n * static_cast<double>(x.cols()));
  m.sse_per_sample = sse_total / n;
  m.loss = evaluate_loss(*model.network, input.view(), x.view(), *make_loss(model.loss));
  return m;
}

}  // namespace

void add_eval_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("eval", "reconstruction metrics of a model on a dataset");
  auto model_path = std::make_shared<std::string>();
  auto data_spec = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  auto threads = std::make_shared<int>(0);
  cmd->add_option("model", *model_path, "model file")->required();
  cmd->add_option("--data", *data_spec, "dataset: mnist:test, file.npy, file.csv, ...");
  add_recommender_eval_options(cmd);
  cmd->add_flag("--json", *json, "print one JSON object on stdout");
  cmd->add_option("--threads", *threads, "threads (0 = all cores)");
  auto csv = add_csv_flags(cmd);
  auto probe = add_probe_flags(cmd);
  auto anomaly = add_anomaly_eval_flags(cmd);
  auto corruption = add_eval_corruption_flags(cmd);
  cmd->callback([=] {
    set_num_threads(*threads);
    if (run_recommender_eval(*model_path, *json)) return;
    if (data_spec->empty()) fail("eval needs --data (or --ratings-test for a recommender)");
    if (anomaly->given(*csv, *probe) && run_anomaly_eval(*anomaly, *model_path, *data_spec, csv->csv(), *json)) return;
    TrainedModel model = load_trained_model(*model_path);
    Dataset data = load_for_model(model, *data_spec, *model_path, csv->csv());
    if (data.x.rows() == 0) fail(data.source, ": no rows to evaluate");
    const Tensor corrupted = corruption->corrupt.empty() ? Tensor() : corruption->input_for(data.x);
    const Metrics m = measure(model, data.x, corruption->corrupt.empty() ? data.x : corrupted);
    const nlohmann::json probed = run_probe(*probe, model, data, *model_path, csv->csv());
    const nlohmann::json variational = vae_metrics(model, data.x);
    if (*json) {
      nlohmann::json out{{"model", *model_path},
                         {"data", data.source},
                         {"samples", data.x.rows()},
                         {"features", data.x.cols()},
                         {"loss_name", model.loss},
                         {"loss", m.loss},
                         {"mse_per_element", m.mse_per_element},
                         {"rmse_per_element", std::sqrt(m.mse_per_element)},
                         {"mae_per_element", m.mae_per_element},
                         {"sse_per_sample", m.sse_per_sample},
                         {"max_sse_per_sample", m.max_sse_per_sample}};
      if (!corruption->corrupt.empty()) out["corrupt"] = corruption->corrupt;
      out.update(probed);
      out.update(variational);
      std::printf("%s\n", out.dump().c_str());
      return;
    }
    std::printf("data                 %s (%lld x %lld)\n", data.source.c_str(), static_cast<long long>(data.x.rows()),
                static_cast<long long>(data.x.cols()));
    if (!corruption->corrupt.empty()) std::printf("input corrupted by   %s\n", corruption->corrupt.c_str());
    std::printf("mse per element      %.6f\n", m.mse_per_element);
    std::printf("rmse per element     %.6f\n", std::sqrt(m.mse_per_element));
    std::printf("mae per element      %.6f\n", m.mae_per_element);
    std::printf("sse per sample       %.4f (max %.4f)\n", m.sse_per_sample, m.max_sse_per_sample);
    std::printf("%-20s %.6f\n", ("loss (" + model.loss + ")").c_str(), m.loss);
    print_vae_metrics(variational);
    print_probe(probed);
  });
}

}  // namespace aekit::cli
