#pragma once
// Every option of `aekit train`, described once. The table drives the command-line flags, their
// help text, the config file (`--config FILE`, same names) and, later, the Python keywords.
#include <aekit/models/model_spec.h>
#include <aekit/train/trainer.h>

#include <functional>
#include <string>
#include <vector>

namespace aekit {

// The settings of one training run, as the user gave them.
struct TrainOptions {
  std::string data;         // dataset spec: mnist:train, path.npy, path.csv, ...
  std::string test;         // optional held-out dataset evaluated after training
  std::string out = "model.aek";
  std::string preprocess = "auto";  // auto (scale for images, minmax otherwise), none, scale, minmax, zscore
  std::string loss = "mse";
  std::string metrics_csv;
  std::string delimiter = "auto";  // for CSV data: auto, tab, space or one character
  std::string header = "auto";     // for CSV data: auto, yes, no
  int threads = 0;  // 0 = all cores
  std::string precision = "fp32";  // fp32, or bf16 (matmuls in bf16 on CPUs with AVX512_BF16)
  ModelSpec model = default_model();
  bool arch_given = false;  // without --arch the input size follows the data: FEATURES-128-64
  TrainConfig train;

  static ModelSpec default_model();
};

struct OptionDef {
  std::string name;  // flag without dashes, also the config-file key
  std::string help;
  std::string value_name;  // "INT", "FLOAT", "SIZES", "NAME", "PATH"
  std::function<void(TrainOptions&, const std::string&)> set;  // InputError on a bad value
  std::function<std::string(const TrainOptions&)> get;         // current value as text
};

const std::vector<OptionDef>& train_option_table();

}  // namespace aekit
