// aekit pca: principal component analysis saved as a model file (the linear autoencoder's
// optimum), so encode, decode, eval and reconstruct use it like a trained autoencoder.
#include "cli_util.h"
#include "commands.h"

#include <aekit/core/error.h>
#include <aekit/core/threads.h>
#include <aekit/models/pca_model.h>
#include <aekit/train/train_job.h>

#include <cstdio>

namespace aekit::cli {

namespace {
struct PcaArgs {
  std::string data, test, out, preprocess = "auto";
  int64_t components = 0;
  int threads = 0;
  std::shared_ptr<CsvFlags> csv;
};
}  // namespace

void add_pca_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("pca", "fit a PCA and save it as a (linear) model file");
  auto a = std::make_shared<PcaArgs>();
  cmd->add_option("--data", a->data, "data to fit on: mnist:train, file.npy, file.csv, ...")->required();
  cmd->add_option("--components", a->components, "number of principal components (the code size)")->required();
  cmd->add_option("--out", a->out, "model file to write")->required();
  cmd->add_option("--test", a->test, "also report the reconstruction error on this dataset");
  cmd->add_option("--preprocess", a->preprocess,
                  "auto (scale for images, minmax otherwise), none, scale, minmax, zscore [auto]");
  cmd->add_option("--threads", a->threads, "threads (0 = all cores)");
  a->csv = add_csv_flags(cmd);
  cmd->callback([a] {
    set_num_threads(a->threads);
    check_output_path(a->out, "--out");
    const CsvOptions csv = a->csv->csv();
    Dataset data = load_dataset(a->data, csv);
    TrainedModel model = fit_pca_model(data, a->components, choose_preprocess_kind(a->preprocess, data.image_height > 0));
    const nlohmann::json& record = model.training;
    std::printf("pca: %lld components of %lld features from %s (%lld rows)\n", static_cast<long long>(a->components),
                static_cast<long long>(data.x.cols()), data.source.c_str(), static_cast<long long>(data.x.rows()));
    std::printf("explained variance   %.4f of %.6g\n", record["explained_variance_ratio"].get<double>(),
                record["total_variance"].get<double>());
    std::printf("train sse per sample %.6f (the discarded variance)\n", record["discarded_variance"].get<double>());
    if (!a->test.empty()) {
      Dataset test = load_for_model(model, a->test, a->out, csv);
      const double mse = reconstruction_mse(*model.network, test.x.view());
      model.training["test"] = {{"data", test.source}, {"mse_per_element", mse}};
      std::printf("test sse per sample  %.6f (%s)\n", mse * static_cast<double>(test.x.cols()), test.source.c_str());
    }
    save_trained_model(a->out, model);
    std::printf("model written to %s\n", a->out.c_str());
  });
}

}  // namespace aekit::cli
