#include <aekit/options/train_options.h>

#include <aekit/core/error.h>
#include <aekit/layers/corruption.h>
#include <aekit/models/conv_arch.h>
#include <aekit/recsys/recommender_kinds.h>
#include <aekit/train/checkpoint.h>

#include <charconv>
#include <cmath>
#include <sstream>

namespace aekit {

namespace {

// More threads than this only thrashes (the machines have a few cores); a typo such as 1000 is refused.
constexpr int kMaxThreads = 256;

template <typename T>
T parse_number(const std::string& option, const std::string& text) {
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size())
    fail("--", option, ": '", text, "' is not a valid ",
         std::is_floating_point_v<T> ? "number" : "integer");
  // from_chars reads "inf" and "nan"; no training setting means either.
  if constexpr (std::is_floating_point_v<T>)
    if (!std::isfinite(value)) fail("--", option, ": '", text, "' is not a finite number");
  return value;
}

bool parse_bool(const std::string& option, const std::string& text) {
  if (text == "true" || text == "1" || text == "yes" || text == "on") return true;
  if (text == "false" || text == "0" || text == "no" || text == "off") return false;
  fail("--", option, ": '", text, "' is not true or false");
}

template <typename T>
std::string to_text(T value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

// Builders for the common kinds of option: each binds a member through an accessor.
template <typename Get>
OptionDef text_option(std::string name, std::string help, std::string value_name, Get member) {
  return {name, std::move(help), std::move(value_name),
          [member](TrainOptions& o, const std::string& v) { member(o) = v; },
          [member](const TrainOptions& o) { return member(const_cast<TrainOptions&>(o)); }};
}

template <typename T, typename Get>
OptionDef number_option(std::string name, std::string help, Get member) {
  return {name, std::move(help), std::is_floating_point_v<T> ? "FLOAT" : "INT",
          [name, member](TrainOptions& o, const std::string& v) { member(o) = parse_number<T>(name, v); },
          [member](const TrainOptions& o) { return to_text(member(const_cast<TrainOptions&>(o))); }};
}

template <typename Get>
OptionDef bool_option(std::string name, std::string help, Get member) {
  return {name, std::move(help), "BOOL",
          [name, member](TrainOptions& o, const std::string& v) { member(o) = parse_bool(name, v); },
          [member](const TrainOptions& o) {
            return std::string(member(const_cast<TrainOptions&>(o)) ? "true" : "false");
          }};
}

// The table in the order it is applied (a recommender's or optimizer's defaults come before the
// flags that refine them); each option is listed in --help under the heading named before it.
std::vector<OptionDef> build_table() {
  using O = TrainOptions;
  struct GroupedTable {
    std::vector<OptionDef> options;
    std::string group;
    void push_back(OptionDef def) {
      def.group = group;
      options.push_back(std::move(def));
    }
  } t;
  t.group = "Data";
  t.push_back(text_option("data", "training data: mnist:train, fashion-mnist:train, file.npy, file.csv, file.idx", "DATA",
                          [](O& o) -> std::string& { return o.data; }));
  t.push_back(text_option("test", "held-out data evaluated after training (e.g. mnist:test)", "DATA",
                          [](O& o) -> std::string& { return o.test; }));
  // A recommender's defaults are set by --ratings (autorec-i) or --model/--preset before any
  // other option (the table is applied in order), so flags given with them override them.
  t.group = "Recommenders";
  t.push_back({"ratings", "train a recommender on this rating file (u.data, ratings.dat, ratings.csv, "
               "user,item,rating[,timestamp]) or movielens-small", "RATINGS",
               [](O& o, const std::string& v) {
                 o.ratings = v;
                 apply_recommender_defaults(o.recommender, o);
               },
               [](const O& o) { return o.ratings; }});
  t.push_back({"model",
               "recommender: autorec-i (default), autorec-u, deeprec, seed-sae, seed-sae-fixed, ease, edlae, mult-dae, "
               "mult-vae, ease-vae",
               "NAME",
               [](O& o, const std::string& v) { apply_recommender_defaults(v, o); },
               [](const O& o) { return o.recommender; }});
  t.push_back({"preset", "the seeds' recommender: seed-sae (exactly as the seeds train it), seed-sae-fixed", "NAME",
               [](O& o, const std::string& v) { apply_recommender_defaults(v, o); },
               [](const O& o) { return o.recommender; }});
  t.push_back(text_option("ratings-test", "test ratings evaluated after training", "RATINGS",
                          [](O& o) -> std::string& { return o.ratings_test; }));
  t.push_back(number_option<float>("input-dropout", "recommenders: drop each input rating of a training row "
                                   "with this probability; the loss still covers all of them (denoising; "
                                   "edlae: the dropout of its closed form)",
                                   [](O& o) -> float& { return o.input_dropout; }));
  t.push_back(text_option("ease-lambda", "ease's, edlae's and ease-vae's L2 weight: auto (chosen by validation NDCG@100 among "
                          "20,50,100,200,500,1000; with --low-rating-weight, NDCG@100 of the held-out positives; "
                          "ease-vae: chosen with --mix-weight on the network's carve, each pair scored), "
                          "one value, or a comma-separated list to choose from", "LIST",
                          [](O& o) -> std::string& { return o.ease_lambda; }));
  t.push_back(text_option("mix-weight", "ease-vae: Mult-VAE's share a of the score mix (1 - a) EASE + a Mult-VAE, each "
                          "standardised per user over the items it may recommend: auto (chosen with --ease-lambda by "
                          "validation NDCG@100 among 0,0.1,...,0.8,0.85,0.9,0.95,1 on the network's carve), a weight "
                          "in [0, 1], or a comma-separated list to choose from", "LIST",
                          [](O& o) -> std::string& { return o.mix_weight; }));
  t.push_back(number_option<float>("interaction-threshold", "ease, edlae, mult-dae, mult-vae, ease-vae: train on the ratings "
                                   "at or above this as interactions (0 = every rating is one; ease-vae's default: "
                                   "--positive-threshold, or 0 where the training ratings all lie on one side of it)",
                                   [](O& o) -> float& { return o.interaction_threshold; }));
  t.push_back(number_option<float>("positive-threshold", "recommenders: top-N counts a rating at or above this as a "
                                   "positive, in the test report and on the carve that chooses --low-rating-weight "
                                   "(aekit eval defaults to the model's)",
                                   [](O& o) -> float& { return o.positive_threshold; }));
  t.push_back(text_option("low-rating-weight", "ease, edlae, mult-dae, mult-vae, ease-vae: a rating under --interaction-threshold "
                          "is an interaction of this weight in (0, 1] instead of none (0); ease, edlae and ease-vae also "
                          "take auto (chosen with the lambda by validation NDCG@100 of EASE's carve's held-out "
                          "positives among 0.2,0.4,0.6,0.8; ease-vae's network then trains with the chosen weight) "
                          "or a comma-separated list (movielens-small: --interaction-threshold 4 "
                          "--low-rating-weight 0.4; ease-vae's default: auto, dropped where the threshold is 0)",
                          "LIST", [](O& o) -> std::string& { return o.low_rating_weight; }));
  t.push_back(number_option<float>("code-dropout", "dropout on the code layer (deeprec's, applied in training only)",
                                   [](O& o) -> float& { return o.code_dropout; }));
  t.push_back(number_option<int>("refeed", "rating networks: dense re-feeding steps per batch (deeprec): the network's "
                                 "dense output becomes the input and target of another update",
                                 [](O& o) -> int& { return o.refeed; }));
  t.push_back(bool_option("refit", "recommender networks: after the validation carve has chosen the epoch count, train "
                          "anew on all the training ratings for that many epochs and keep that network",
                          [](O& o) -> bool& { return o.refit; }));
  t.push_back(number_option<double>("holdout", "hold out this fraction of --ratings as the test set (0 = off)",
                                    [](O& o) -> double& { return o.holdout; }));
  t.push_back(number_option<uint32_t>("holdout-seed", "seed of the --holdout split (numpy's permutation)",
                                      [](O& o) -> uint32_t& { return o.holdout_seed; }));
  t.push_back(text_option("rating-range", "LOW:HIGH ratings allowed (others are an error) and predictions "
                          "clipped to; auto = the training ratings' range", "RANGE",
                          [](O& o) -> std::string& { return o.rating_range; }));
  t.group = "Data";
  t.push_back(text_option("delimiter", "CSV cell separator: auto, tab, space or one character", "TEXT",
                          [](O& o) -> std::string& { return o.delimiter; }));
  t.push_back(text_option("header", "CSV header line: auto (detected), yes, no", "MODE",
                          [](O& o) -> std::string& { return o.header; }));
  t.push_back(text_option("label-column", "CSV column of labels, left out of the features: a header name, or a number "
                          "from 0 (-1 = last); text labels are classes", "COLUMN",
                          [](O& o) -> std::string& { return o.label_column; }));
  t.push_back(text_option("columns", "CSV columns that are features, in this order (names or numbers, comma-separated; "
                          "default: all but the label)", "LIST", [](O& o) -> std::string& { return o.columns; }));
  t.push_back(text_option("drop-columns", "CSV columns left out of the features (names or numbers, comma-separated), "
                          "e.g. an id or a text column", "LIST", [](O& o) -> std::string& { return o.drop_columns; }));
  t.group = "Model";
  t.push_back({"arch", "encoder sizes from input to code, e.g. 784-128-64, or layer tokens, e.g. "
               "conv16k3s2p1,relu,conv32k3s2p1,relu,flatten,dense32 (README: convolutional autoencoders); "
               "recommenders: hidden sizes without the input, e.g. 500",
               "SIZES|LAYERS",
               [](O& o, const std::string& v) {
                 o.arch_tokens.clear();
                 if (is_layer_token_list(v)) {
                   parse_layer_tokens(v, "--arch");  // a typo fails here, naming the flag
                   o.arch_tokens = v;
                 } else if (o.ratings.empty()) {
                   o.model.encoder = parse_sizes(v, "--arch");
                 } else {  // hidden sizes only: one is enough ("500")
                   o.model.encoder = parse_sizes("1-" + v, "--arch");
                   o.model.encoder.erase(o.model.encoder.begin());
                 }
                 o.arch_given = true;
               },
               [](const O& o) { return o.arch_tokens.empty() ? sizes_string(o.model.encoder) : o.arch_tokens; }});
  t.push_back({"decoder", "decoder sizes or layer tokens from code to output (default: the encoder mirrored)",
               "SIZES|LAYERS",
               [](O& o, const std::string& v) {
                 o.decoder_tokens.clear();
                 o.model.decoder.clear();
                 if (is_layer_token_list(v)) {
                   parse_layer_tokens(v, "--decoder");
                   o.decoder_tokens = v;
                 } else if (!v.empty()) {
                   o.model.decoder = parse_sizes(v, "--decoder");
                 }
               },
               [](const O& o) {
                 if (!o.decoder_tokens.empty()) return o.decoder_tokens;
                 return o.model.decoder.empty() ? std::string() : sizes_string(o.model.decoder);
               }});
  t.push_back({"input-shape", "shape of one sample for layer models, CxHxW (default: the data's, 1xHxW for images)",
               "SHAPE",
               [](O& o, const std::string& v) {
                 if (!v.empty()) parse_input_shape(v, "--input-shape");
                 o.input_shape = v;
               },
               [](const O& o) { return o.input_shape; }});
  t.push_back(text_option("encoder-layers", "the encoder as layer specs, replacing --arch: 'dense(out=128, activation=relu) dense(out=32)'",
                          "LAYERS", [](O& o) -> std::string& { return o.encoder_layers; }));
  t.push_back(text_option("decoder-layers", "the decoder as layer specs (needed with --encoder-layers); ends at the input size",
                          "LAYERS", [](O& o) -> std::string& { return o.decoder_layers; }));
  t.push_back(text_option("corrupt", "denoising: corrupt inputs in training, gaussian:SIGMA, masking:FRACTION or salt_pepper:FRACTION",
                          "KIND:LEVEL", [](O& o) -> std::string& { return o.corrupt; }));
  t.push_back(text_option("sparsity", "sparse: penalty on the code's activations, kl:RHO:BETA (sigmoid code) or l1:WEIGHT",
                          "SPEC", [](O& o) -> std::string& { return o.sparsity; }));
  t.push_back(number_option<double>("contractive", "contractive: weight of the squared Frobenius norm of the encoder's Jacobian "
                                    "(sigmoid, tanh, relu or identity layers; exact for one layer, estimated for deeper ones)",
                                    [](O& o) -> double& { return o.contractive; }));
  t.push_back(number_option<int>("contractive-probes", "contractive with a deeper encoder: random probes per batch of "
                                 "Hutchinson's unbiased estimate of the Jacobian norm (0 = exact, one probe per input value)",
                                 [](O& o) -> int& { return o.contractive_probes; }));
  t.push_back(bool_option("tied", "tied weights: each decoder dense layer uses its mirror encoder layer's weight transposed",
                          [](O& o) -> bool& { return o.tied; }));
  t.push_back(bool_option("variational", "variational: the code layer gives means and log-variances of a Gaussian, the code is "
                          "sampled in training (the mean otherwise), loss bce (Bernoulli) or mse (Gaussian) plus the KL term",
                          [](O& o) -> bool& { return o.variational; }));
  t.push_back(number_option<double>("beta", "variational: weight of the KL term (beta-VAE; 1 = the ELBO)",
                                    [](O& o) -> double& { return o.beta; }));
  // The two annealings exclude each other: giving one (non-zero) turns the other off (a model's
  // defaults may have set it); when both are given --kl-anneal-steps, later in the table, wins.
  OptionDef warmup = number_option<int>("kl-warmup", "variational: KL annealing, the KL weight rises linearly from 0 to "
                                        "--beta over this many epochs (0 = off; turns --kl-anneal-steps off)",
                                        [](O& o) -> int& { return o.kl_warmup; });
  warmup.set = [set = warmup.set](O& o, const std::string& v) {
    set(o, v);
    if (o.kl_warmup != 0) o.kl_anneal_steps = 0;
  };
  t.push_back(std::move(warmup));
  OptionDef steps = number_option<int64_t>("kl-anneal-steps", "variational: KL annealing per update step, the KL weight is "
                                           "min(--beta, step / N) (Liang et al.'s total_anneal_steps; 0 = off; turns "
                                           "--kl-warmup off)",
                                           [](O& o) -> int64_t& { return o.kl_anneal_steps; });
  steps.set = [set = steps.set](O& o, const std::string& v) {
    set(o, v);
    if (o.kl_anneal_steps != 0) o.kl_warmup = 0;
  };
  t.push_back(std::move(steps));
  t.group = "Pretraining";
  t.push_back(text_option("pretrain", "greedy layer-wise pretraining of the dense layers before training: none, rbm "
                          "(sigmoid layers Bernoulli units, identity layers Gaussian), ae, dae (stacked denoising)", "NAME",
                          [](O& o) -> std::string& { return o.pretrain; }));
  t.push_back(number_option<int>("pretrain-epochs", "pretraining epochs per layer", [](O& o) -> int& { return o.pretrain_epochs; }));
  t.push_back(number_option<int64_t>("pretrain-batch-size", "pretraining batch size",
                                     [](O& o) -> int64_t& { return o.pretrain_batch_size; }));
  t.push_back(number_option<float>("pretrain-lr", "RBM learning rate (layers with Gaussian units take 1/100 of it, as Hinton's code); "
                                   "ae and dae use --optimizer and --lr", [](O& o) -> float& { return o.pretrain_lr; }));
  t.push_back(number_option<int>("cd-k", "RBM contrastive divergence steps (CD-k)", [](O& o) -> int& { return o.cd_k; }));
  t.push_back(text_option("pretrain-corrupt", "dae pretraining's corruption, KIND:LEVEL", "KIND:LEVEL",
                          [](O& o) -> std::string& { return o.pretrain_corrupt; }));
  t.group = "Model";
  t.push_back(text_option("activation", "hidden activation: sigmoid, tanh, relu, leaky_relu, elu, selu, softplus, identity",
                          "NAME", [](O& o) -> std::string& { return o.model.activation; }));
  t.push_back(text_option("code-activation", "activation of the code layer (default: --activation)", "NAME",
                          [](O& o) -> std::string& { return o.model.code_activation; }));
  t.push_back(text_option("output-activation", "activation of the output layer", "NAME",
                          [](O& o) -> std::string& { return o.model.output_activation; }));
  t.push_back(number_option<float>("dropout", "dropout probability after each hidden layer",
                                   [](O& o) -> float& { return o.model.dropout; }));
  t.push_back(text_option("init", "weight initialisation: pytorch, xavier_uniform, xavier_uniform_small_bias (biases N(0, 0.001)), xavier_normal, he_uniform, he_normal, normal",
                          "NAME", [](O& o) -> std::string& { return o.model.init; }));
  t.push_back(number_option<float>("init-sigma", "standard deviation for --init normal",
                                   [](O& o) -> float& { return o.model.init_sigma; }));
  t.push_back(text_option("loss", "reconstruction loss: mse, bce, bce_logits, l1", "NAME",
                          [](O& o) -> std::string& { return o.loss; }));
  t.group = "Data";
  t.push_back(text_option("preprocess", "auto (scale for images, minmax otherwise), none, scale, minmax, zscore", "NAME",
                          [](O& o) -> std::string& { return o.preprocess; }));
  // Resets every optimizer setting to PyTorch's defaults for that optimizer; the table is applied
  // in order, so --lr, --momentum, ... given with it land afterwards.
  t.group = "Training";
  t.push_back({"optimizer", "sgd, rmsprop, adam, adamw, adagrad (PyTorch's defaults)", "NAME",
               [](O& o, const std::string& v) { o.train.optimizer = OptimizerConfig::defaults_for(v); },
               [](const O& o) { return o.train.optimizer.name; }});
  t.push_back(number_option<float>("lr", "learning rate", [](O& o) -> float& { return o.train.optimizer.lr; }));
  t.push_back(number_option<float>("momentum", "momentum (sgd, rmsprop)", [](O& o) -> float& { return o.train.optimizer.momentum; }));
  t.push_back(bool_option("nesterov", "Nesterov momentum (sgd)", [](O& o) -> bool& { return o.train.optimizer.nesterov; }));
  t.push_back(number_option<float>("weight-decay", "L2 weight decay (coupled; decoupled for adamw)",
                                   [](O& o) -> float& { return o.train.optimizer.weight_decay; }));
  t.push_back(number_option<float>("beta1", "Adam's beta1", [](O& o) -> float& { return o.train.optimizer.beta1; }));
  t.push_back(number_option<float>("beta2", "Adam's beta2", [](O& o) -> float& { return o.train.optimizer.beta2; }));
  t.push_back(number_option<float>("eps", "the optimizer's epsilon", [](O& o) -> float& { return o.train.optimizer.eps; }));
  t.push_back(number_option<int64_t>("batch-size", "rows per update; 1 updates after every observation",
                                     [](O& o) -> int64_t& { return o.train.batch_size; }));
  t.push_back(number_option<int>("epochs", "passes over the training data", [](O& o) -> int& { return o.train.epochs; }));
  t.push_back(number_option<uint64_t>("seed", "seed for initialisation, shuffling and the validation split",
                                      [](O& o) -> uint64_t& { return o.train.seed; }));
  t.push_back(bool_option("shuffle", "shuffle the rows every epoch", [](O& o) -> bool& { return o.train.shuffle; }));
  t.push_back(bool_option("skip-nonfinite",
                          "skip (and count) batches whose loss or gradient is NaN or Inf instead of stopping the run (exit 3)",
                          [](O& o) -> bool& { return o.train.skip_nonfinite; }));
  t.push_back(text_option("schedule", "learning-rate schedule: constant, step:SIZE:GAMMA, cosine[:ETA_MIN]", "SPEC",
                          [](O& o) -> std::string& { return o.train.schedule; }));
  t.push_back(number_option<float>("clip-norm", "clip the global gradient norm to this value (0 = off)",
                                   [](O& o) -> float& { return o.train.clip_norm; }));
  t.push_back(number_option<float>("validation-split", "fraction of training rows (recommenders: ratings) held out for validation",
                                   [](O& o) -> float& { return o.train.validation_split; }));
  t.push_back(number_option<int>("patience", "early stopping: epochs without validation improvement (0 = off)",
                                 [](O& o) -> int& { return o.train.patience; }));
  t.push_back(number_option<float>("min-delta", "smallest validation improvement that counts",
                                   [](O& o) -> float& { return o.train.min_delta; }));
  t.group = "Anomaly threshold";
  t.push_back(number_option<double>("contamination",
                                    "anomaly threshold: the expected fraction of anomalies in the training data (0 = use --threshold)",
                                    [](O& o) -> double& { return o.contamination; }));
  t.push_back(text_option("threshold", "anomaly threshold: auto (median + 3 MAD of the training scores) or a score value",
                          "TEXT", [](O& o) -> std::string& { return o.threshold; }));
  t.push_back(text_option("score-metric", "anomaly score the threshold is for: mse, sse, l1, zscore", "NAME",
                          [](O& o) -> std::string& { return o.score_metric; }));
  t.group = "Output";
  t.push_back(text_option("out", "where to write the model (written atomically)", "PATH",
                          [](O& o) -> std::string& { return o.out; }));
  t.push_back(text_option("metrics-csv", "write one line per epoch to this CSV file", "PATH",
                          [](O& o) -> std::string& { return o.metrics_csv; }));
  t.push_back({"checkpoint-every", "write a checkpoint every N epochs (2) or N batches (500b); Ctrl-C or SIGTERM "
               "always writes one (0 = only then)", "N[b]",
               [](O& o, const std::string& v) {
                 CheckpointSchedule::parse(v);  // a typo fails before the data is loaded
                 o.checkpoint_every = v;
               },
               [](const O& o) { return o.checkpoint_every; }});
  t.push_back(text_option("checkpoint", "where checkpoints go (written atomically; default: the --out path + .ckpt)",
                          "PATH", [](O& o) -> std::string& { return o.checkpoint; }));
  t.push_back(text_option("resume", "continue the run this checkpoint holds (give the same options; they are checked)",
                          "PATH", [](O& o) -> std::string& { return o.resume; }));
  t.group = "Training";
  t.push_back({"threads", "threads for training (0 = automatic: from the work per batch and the cores not busy elsewhere; at most 256); a recommender's rating step runs on one of them whenever that has lately been faster, with the same results", "INT",
               [](O& o, const std::string& v) {
                 o.threads = parse_number<int>("threads", v);
                 if (o.threads < 0 || o.threads > kMaxThreads)
                   fail("--threads: ", o.threads, " is not 0 (automatic) or 1 to ", kMaxThreads);
               },
               [](const O& o) { return to_text(o.threads); }});
  t.push_back(text_option("precision", "matrix products in fp32, or bf16 with fp32 accumulation and fp32 weights (CPUs with AVX512_BF16)",
                          "NAME", [](O& o) -> std::string& { return o.precision; }));
  t.push_back(bool_option("flush-denormals", "treat subnormal floats (below 1.2e-38) as 0, as torch.set_flush_denormal(True) "
                          "does: much faster small-batch training on Intel CPUs, not IEEE (off: PyTorch's default)",
                          [](O& o) -> bool& { return o.flush_denormals; }));
  return t.options;
}

}  // namespace

PretrainConfig TrainOptions::pretrain_config() const {
  PretrainConfig c;
  c.method = parse_pretrain_method(pretrain);
  c.rbm.epochs = pretrain_epochs;
  c.rbm.batch_size = pretrain_batch_size;
  c.rbm.lr = pretrain_lr;
  c.rbm.cd_k = cd_k;
  c.rbm.seed = train.seed;
  c.optimizer = train.optimizer;
  c.corruption = Corruption::parse(pretrain_corrupt);
  if (c.method != PretrainMethod::None) c.rbm.validate();
  return c;
}

DenseArch TrainOptions::default_model() {
  DenseArch spec;
  spec.encoder = {784, 128, 64};  // the seeds' MNIST autoencoder
  return spec;
}

bool names_a_file(const OptionDef& def) {
  return def.value_name == "PATH" || def.value_name == "DATA" || def.value_name == "RATINGS";
}

const std::vector<OptionDef>& train_option_table() {
  static const std::vector<OptionDef> table = build_table();
  return table;
}

const OptionDef* find_train_option(const std::string& name) {
  for (const OptionDef& def : train_option_table())
    if (def.name == name) return &def;
  return nullptr;
}

}  // namespace aekit
