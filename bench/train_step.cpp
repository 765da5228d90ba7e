// The whole training step of a dense autoencoder, and nothing else: aekit::train on a uint8
// .npy file (MNIST rows, as `aekit train --data` reads them), with the command's settings for the
// seeds' model (sigmoid everywhere, MSE, Adam lr 0.01, pixels / 255), timed per step in CPU time
// (both threads' together) and in wall time. Start-up, the anomaly calibration and the model file
// are left out, so `perf record`, `valgrind --tool=callgrind` and a CPU-time comparison of two
// builds see the step alone.
//
//   train_step --data FILE.npy [--arch 784-128-64] [--batch 256] [--epochs 2] [--threads N]
//              [--precision fp32|bf16] [--optimizer adam]
//
// Prints one JSON object: steps, cpu_us_per_step, wall_us_per_step, threads, loss (the last
// epoch's mean, which must not move when only the speed of a computation changed).
#include <aekit/core/precision.h>
#include <aekit/core/threads.h>
#include <aekit/data/npy.h>
#include <aekit/data/preprocess.h>
#include <aekit/data/preprocessed_rows.h>
#include <aekit/losses/loss.h>
#include <aekit/models/autoencoder.h>
#include <aekit/models/dense_arch.h>
#include <aekit/train/trainer.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

int main(int argc, char** argv) {
  std::string data, arch = "784-128-64", precision = "fp32", optimizer = "adam";
  int64_t batch = 256;
  int epochs = 2, threads = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--data") data = value;
    else if (flag == "--arch") arch = value;
    else if (flag == "--batch") batch = std::stoll(value);
    else if (flag == "--epochs") epochs = std::stoi(value);
    else if (flag == "--threads") threads = std::stoi(value);
    else if (flag == "--precision") precision = value;
    else if (flag == "--optimizer") optimizer = value;
    else {
      std::fprintf(stderr, "train_step: unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  if (data.empty()) {
    std::fprintf(stderr, "train_step: --data FILE.npy (uint8 rows) is required\n");
    return 2;
  }
  if (threads > 0) aekit::set_num_threads(threads);
  const aekit::DataValues values = aekit::read_npy_values(data, true);
  if (!values.bytes) {
    std::fprintf(stderr, "train_step: %s does not hold uint8 values\n", data.c_str());
    return 2;
  }
  const aekit::Preprocessor scale = aekit::Preprocessor::fit(aekit::PreprocessKind::Scale, *values.bytes);
  const aekit::PreprocessedRows rows(*values.bytes, scale);

  aekit::DenseArch spec;
  spec.encoder = aekit::parse_sizes(arch, "--arch");
  aekit::Autoencoder model(spec.to_spec(), 0);
  model.set_precision(aekit::parse_precision(precision));
  const auto loss = aekit::make_loss("mse");
  aekit::TrainConfig config;
  config.epochs = epochs;
  config.batch_size = batch;
  config.optimizer = aekit::OptimizerConfig::defaults_for(optimizer);
  config.optimizer.lr = 0.01f;

  const auto wall_start = std::chrono::steady_clock::now();
  const std::clock_t cpu_start = std::clock();
  const aekit::TrainResult result = aekit::train(model, rows, *loss, config);
  const double cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  const int64_t steps = (rows.rows() + batch - 1) / batch * epochs;
  std::printf("{\"steps\": %lld, \"cpu_us_per_step\": %.2f, \"wall_us_per_step\": %.2f, \"threads\": %d, "
              "\"loss\": %.9g}\n",
              static_cast<long long>(steps), cpu * 1e6 / static_cast<double>(steps),
              wall * 1e6 / static_cast<double>(steps), aekit::num_threads(),
              result.history.back().train_loss);
  return 0;
}
