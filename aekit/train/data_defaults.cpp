#include <aekit/train/data_defaults.h>

#include <aekit/data/preprocess.h>
#include <aekit/losses/loss.h>

#include <algorithm>
#include <cmath>

namespace aekit {

namespace {
constexpr int64_t kTabularUpdates = 3000;
}  // namespace

std::vector<int64_t> tabular_default_sizes(int64_t features) {
  const auto quarter = static_cast<int64_t>(std::lround(static_cast<double>(features) / 4.0));
  const auto half = static_cast<int64_t>(std::lround(static_cast<double>(features) / 2.0));
  const int64_t code = std::clamp<int64_t>(quarter, 1, 64);
  const int64_t hidden = std::clamp<int64_t>(half, code + 1, 128);
  return {features, hidden, code};
}

std::string fit_defaults_to_data(TrainOptions& options, const Dataset& data) {
  // Images keep the seeds' model; layer models (--arch tokens, --encoder-layers, --input-shape)
  // describe every layer themselves.
  if (!options.given || data.image_height > 0 || options.layer_model() || !options.input_shape.empty()) return "";
  std::vector<std::string> chosen;
  DenseArch& model = options.model;
  if (!options.named("arch") && !options.named("decoder")) {
    model.encoder = tabular_default_sizes(data.cols());
    options.arch_given = true;
    chosen.push_back(sizes_string(model.encoder));
  }
  // RBM pretraining needs sigmoid (Bernoulli) hidden units: the literal activations stay.
  const bool rbm = options.pretrain == "rbm";
  if (!options.named("activation") && !rbm) {
    model.activation = "relu";
    chosen.push_back("relu hidden");
  }
  const bool code_penalty = options.named("sparsity") || options.named("contractive");
  if (!options.named("code-activation") && !options.named("activation") && !code_penalty && !rbm) {
    model.code_activation = "identity";
    chosen.push_back("identity code");
  }
  if (!options.named("output-activation")) {
    const PreprocessKind kind = choose_preprocess_kind(options.preprocess, false);
    const bool unit_targets = kind == PreprocessKind::MinMax || kind == PreprocessKind::Scale;
    const bool bce = make_loss(options.loss)->name().rfind("bce", 0) == 0;
    model.output_activation = unit_targets || bce ? "sigmoid" : "identity";
    chosen.push_back(model.output_activation + " output (" +
                     (bce ? "a bce loss" : unit_targets ? "targets in [0,1] after " : "targets unbounded after ") +
                     (bce ? "" : preprocess_kind_name(kind)) + ")");
  }
  // The literal 10 epochs of 256 are 2,350 updates on MNIST but 70 on the digits' 1,797 rows,
  // which leave the model at the mean. Small tables get smaller batches and enough epochs for
  // about kTabularUpdates updates.
  if (!options.named("epochs") && !options.named("batch-size")) {
    const int64_t rows = data.rows();
    int64_t batch = 256;
    while (batch > 16 && batch * 50 > rows) batch /= 2;
    const int64_t steps = std::max<int64_t>(1, rows / batch);  // updates per epoch, near enough
    const int64_t epochs = std::clamp<int64_t>((kTabularUpdates + steps - 1) / steps, options.train.epochs, 1000);
    if (batch != options.train.batch_size || epochs != options.train.epochs) {
      options.train.batch_size = batch;
      options.train.epochs = static_cast<int>(epochs);
      chosen.push_back("batch " + std::to_string(batch) + ", " + std::to_string(epochs) + " epochs");
    }
  }
  if (chosen.empty()) return "";
  std::string line = "tabular data with " + std::to_string(data.cols()) + " features: ";
  for (size_t i = 0; i < chosen.size(); ++i) line += (i ? ", " : "") + chosen[i];
  return line + " (defaults that follow the data; name an option to choose it yourself)";
}

}  // namespace aekit
