// aekit demo: the main job on a default dataset. Trains the seeds' MNIST autoencoder
// (784-128-64-128-784, sigmoid everywhere, MSE, Adam lr 0.01, batch 256), prints its test
// reconstruction error and writes a PNG of test digits above their reconstructions.
#include "cli_util.h"
#include "commands.h"

#include <aekit/core/error.h>
#include <aekit/data/dataset.h>

#include <cstdio>
#include <filesystem>

namespace aekit::cli {

void add_demo_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("demo", "train the MNIST autoencoder and show its reconstructions");
  struct Args {
    std::string dataset = "mnist", out_dir = "aekit-demo";
    int epochs = 10, threads = 0;
  };
  auto a = std::make_shared<Args>();
  cmd->add_option("--dataset", a->dataset, "mnist or fashion-mnist [mnist]");
  cmd->add_option("--epochs", a->epochs, "epochs [10]")->check(CLI::Range(1, 10000));
  cmd->add_option("--out-dir", a->out_dir, "where the model and the picture go [aekit-demo]");
  cmd->add_option("--threads", a->threads, "threads (0 = all cores)");
  cmd->callback([a] {
    if (a->dataset != "mnist" && a->dataset != "fashion-mnist")
      fail("--dataset must be mnist or fashion-mnist, got '", a->dataset, "'");
    std::filesystem::create_directories(a->out_dir);
    // Absolute paths, so the closing lines say where the files are from any directory.
    const auto dir = std::filesystem::absolute(a->out_dir);
    TrainOptions o;
    o.data = a->dataset + ":train";
    o.test = a->dataset + ":test";
    o.out = (dir / (a->dataset + "-autoencoder.aek")).string();
    o.model.encoder = {784, 128, 64};
    o.arch_given = true;
    o.model.activation = o.model.output_activation = "sigmoid";
    o.loss = "mse";
    o.train.optimizer = OptimizerConfig::defaults_for("adam");
    o.train.optimizer.lr = 0.01f;
    o.train.batch_size = 256;
    o.train.epochs = a->epochs;
    o.threads = a->threads;
    o.metrics_csv = (dir / "metrics.csv").string();
    TrainJobResult job = train_and_save(o);

    const std::string png = (dir / "reconstructions.png").string();
    Dataset test = load_for_model(job.model, o.test, o.out);
    write_reconstruction_grid(job.model, test.x, 20, png, 10);
    std::printf("picture written to %s (top rows: test digits, below each: its reconstruction)\n", png.c_str());
    std::printf("metrics written to %s\n", o.metrics_csv.c_str());
  });
}

}  // namespace aekit::cli
