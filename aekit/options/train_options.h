#pragma once
// Every option of `aekit train`, described once. The table drives the command-line flags, their
// help text, the config file (`--config FILE`, same names) and, later, the Python keywords.
#include <aekit/models/dense_arch.h>
#include <aekit/models/model_spec.h>
#include <aekit/pretrain/greedy.h>
#include <aekit/train/trainer.h>

#include <functional>
#include <optional>
#include <set>
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
  std::string label_column;        // for CSV data: the column of labels, left out of the features
  std::string columns;             // for CSV data: only these columns are features (names or numbers)
  std::string drop_columns;        // for CSV data: these columns are not features
  int threads = 0;  // 0 = automatic (core/thread_choice.h)
  // The anomaly threshold stored in the model (aekit/anomaly/threshold.h).
  double contamination = 0;          // > 0: the (1 - contamination) quantile of the training scores
  std::string threshold = "auto";    // auto (median + 3 MAD of the training scores) or a value
  std::string score_metric = "mse";  // mse, sse, l1, zscore: the default metric of score and eval
  DenseArch model = default_model();  // the dense shorthand (--arch, --activation, ...)
  std::string precision = "fp32";  // fp32, or bf16 (matmuls in bf16 on CPUs with AVX512_BF16)
  bool flush_denormals = false;    // subnormal floats read and written as 0 (core/denormals.h)
  bool arch_given = false;  // without --arch the input size follows the data: FEATURES-128-64
  std::string encoder_layers;  // layer specs replacing the shorthand's encoder (layer_spec.h)
  std::string decoder_layers;  // ... and its decoder
  // --arch/--decoder given as layer tokens (models/conv_arch.h) rather than sizes, and the shape
  // of one sample for layer models (empty: the data's own, 1xHxW for images).
  std::string arch_tokens;
  std::string decoder_tokens;
  std::string input_shape;
  // The family's members on top of either description (model_from_options.cpp):
  std::string corrupt;   // denoising: KIND:LEVEL corrupts the input in training
  std::string sparsity;  // sparse: kl:RHO:BETA or l1:WEIGHT on the code layer
  double contractive = 0;  // contractive: > 0 weighs the code layer's Jacobian norm
  int contractive_probes = 1;  // deeper encoders: Hutchinson probes per batch, 0 = exact
  bool tied = false;     // tied weights: the decoder's dense layers use the encoder's, transposed
  // variational: the code layer gives a Gaussian's means and log-variances and a gaussian_sample
  // layer draws the code (layers/gaussian_sample.h), with KL weight beta reached after kl_warmup
  // epochs, or rising by 1 / kl_anneal_steps a step up to beta
  bool variational = false;
  double beta = 1.0;
  int kl_warmup = 0;
  int64_t kl_anneal_steps = 0;
  // Greedy layer-wise pretraining before training (aekit/pretrain/greedy.h): none, rbm, ae, dae.
  std::string pretrain = "none";
  int pretrain_epochs = 10;
  int64_t pretrain_batch_size = 100;
  float pretrain_lr = 0.1f;  // rbm; ae and dae use --optimizer and --lr
  int cd_k = 1;
  std::string pretrain_corrupt = "masking:0.25";  // dae
  TrainConfig train;
  // Checkpoints (train/checkpoint.h): how often, where (default: out + ".ckpt"), and resuming.
  std::string checkpoint_every;  // "2" epochs, "500b" batches; empty: only when interrupted
  std::string checkpoint;
  std::string resume;
  // Recommenders (aekit/recsys): trained on a rating file instead of a dense dataset.
  std::string ratings;       // rating file, or movielens-small
  std::string ratings_test;  // test ratings evaluated after training
  double holdout = 0.0;      // > 0: this fraction of --ratings becomes the test set
  uint32_t holdout_seed = 0;
  std::string rating_range = "auto";
  std::string recommender = "autorec-i";  // --model or --preset (see recsys/recommender_kinds.h)
  float input_dropout = 0.0f;  // autorec/seed networks: denoising dropout of input ratings (sparse_rows.h)
  std::string ease_lambda = "auto";        // ease: auto (chosen on validation), a value, or a list
  std::string mix_weight = "auto";  // ease-vae: the network's share of the mix: auto, a weight or a list (recsys/ease_vae.h)
  // ease, mult-*, ease-vae: a training rating at or above this is an interaction, the rest are left
  // out (or weighted, low_rating_weight); 0 (the default): every training rating is one. NaN
  // (ease-vae's default, which no flag can give): positive_threshold, resolved when the ratings are
  // read (recsys/recommender_job.cpp).
  float interaction_threshold = 0.0f;
  // Top-N: a rating at or above this is a positive, in the test report and on the carve that
  // chooses ease's weight (recommender_eval.h); `aekit eval` defaults to the model's.
  float positive_threshold = 4.0f;
  std::string low_rating_weight = "0";  // ease, edlae, mult-*, ease-vae: weight of a rating under interaction_threshold: 0 (none), a value; ease, edlae, ease-vae: auto or a list
  // deeprec (Kuchaiev & Ginsburg 2017): dropout on the code layer, and dense re-feeding steps per
  // batch (recsys/dense_refeeding.h).
  float code_dropout = 0.0f;
  int refeed = 0;
  // Recommender networks: once the validation carve has chosen the epoch count (the best epoch),
  // train anew on every training rating for that many epochs (recsys/recommender_job.h).
  bool refit = false;
  // The options the user named (command line or config file). Those not named may follow the
  // data (train/data_defaults.h); nullopt, as for library callers, keeps every literal default.
  std::optional<std::set<std::string>> given;
  bool named(const std::string& option) const { return given && given->count(option) > 0; }

  static DenseArch default_model();
  // The model these options describe, for data whose samples have `sample_shape` ({features}, or
  // {height, width} for images). InputError when the options do not describe a valid model.
  ModelSpec model_spec(const Shape& sample_shape) const;
  // The layers --arch (sizes or tokens) or --encoder-layers/--decoder-layers describe, before the
  // family's flags (--corrupt, --sparsity, ...) add theirs.
  ModelSpec described_model(const Shape& sample_shape) const;
  // True when the model is described by layers (--arch in tokens or --encoder-layers) rather than
  // the dense shorthand's sizes.
  bool layer_model() const { return !arch_tokens.empty() || !encoder_layers.empty(); }
  // The pretraining these options ask for; InputError on a bad value.
  PretrainConfig pretrain_config() const;
};

struct OptionDef {
  std::string name;  // flag without dashes, also the config-file key
  std::string help;
  std::string value_name;  // "INT", "FLOAT", "SIZES", "NAME", "PATH", "DATA", "RATINGS", ...
  std::function<void(TrainOptions&, const std::string&)> set;  // InputError on a bad value
  std::function<std::string(const TrainOptions&)> get;         // current value as text
  std::string group = "";  // the heading it is listed under in --help (set by the table)
};

const std::vector<OptionDef>& train_option_table();
// The table's entry for `name` (without dashes), or nullptr.
const OptionDef* find_train_option(const std::string& name);

// True for the options whose value may be a file (PATH, DATA, RATINGS): a config file's relative
// paths are taken from the config file's directory.
bool names_a_file(const OptionDef& def);

}  // namespace aekit
