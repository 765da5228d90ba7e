#include <aekit/train/train_job.h>

#include <aekit/backend/cpu/bf16.h>
#include <aekit/core/error.h>
#include <aekit/core/precision.h>
#include <aekit/core/threads.h>
#include <aekit/losses/pointwise_loss.h>
#include <aekit/models/feature_names.h>
#include <aekit/train/data_defaults.h>
#include <aekit/train/checkpoint.h>
#include <aekit/train/output_range.h>
#include <aekit/train/wasted_run.h>

namespace aekit {

namespace {

nlohmann::json history_json(const TrainResult& result) {
  nlohmann::json epochs = nlohmann::json::array();
  for (const EpochReport& e : result.history) {
    nlohmann::json row{{"epoch", e.epoch}, {"train_loss", e.train_loss}, {"seconds", e.seconds}, {"lr", std::stod(detail::concat(e.lr))}};
    if (!std::isnan(e.val_loss)) row["val_loss"] = e.val_loss;
    for (const LossTerm& t : e.terms) row[t.name] = t.value;
    epochs.push_back(row);
  }
  return epochs;
}

nlohmann::json settings_json(const TrainOptions& options) {
  nlohmann::json settings = nlohmann::json::object();
  for (const OptionDef& def : train_option_table()) settings[def.name] = def.get(options);
  return settings;
}

}  // namespace

double reconstruction_mse(Autoencoder& network, ConstMatrixView x) {
  return evaluate_loss(network, x, MseLoss());
}

TrainJobResult run_train_job(TrainOptions options, const TrainJobHooks& hooks) {
  if (options.data.empty()) fail("no training data given (--data mnist:train, or a .npy/.csv/.idx file)");
  // Every setting that can be checked without the data is checked before minutes of loading.
  options.train.validate();
  validate(options.train.optimizer);
  make_loss(options.loss);
  const ThresholdRule threshold_rule = ThresholdRule::parse(options.contamination, options.threshold);
  const ScoreMetric score_metric = parse_score_metric(options.score_metric);
  set_num_threads(options.threads);
  const Precision precision = parse_precision(options.precision);
  if (precision == Precision::Bf16 && !cpu::bf16_supported())
    fail("--precision bf16 needs a CPU with AVX512_BF16 (native bf16 products), and this one lacks it; "
         "use --precision fp32");
  const PretrainConfig pretrain = options.pretrain_config();
  const CsvOptions csv = parse_csv_options(options.delimiter, options.header, options.label_column, options.columns,
                                           options.drop_columns);
  // uint8 data (MNIST) stays bytes: each batch is converted and preprocessed as it is formed
  // (data/preprocessed_rows.h), giving the same floats as a float copy would hold.
  Dataset data = load_dataset(options.data, csv, Uint8Data::AsBytes);
  if (data.rows() == 0) fail(options.data, ": no rows to train on");
  const int64_t features = data.cols();
  const std::string defaults_note = fit_defaults_to_data(options, data);
  if (!options.arch_given) options.model.encoder.front() = features;
  if (!options.layer_model() && options.model.encoder.front() != features)
    fail("--arch ", sizes_string(options.model.encoder), " expects ", options.model.encoder.front(),
         " input features but ", data.source, " has ", features, " (use --arch ", features, "-...)");
  const ModelSpec spec = options.model_spec(data.image_height > 0 ? Shape{data.image_height, data.image_width}
                                                                   : Shape{features});
  auto loss = make_loss(options.loss);
  const LayerSpec& last = spec.decoder.back();
  if (loss->takes_logits() && (last.kind != "dense" || last.text("activation", "identity") != "sigmoid"))
    fail("--loss bce_logits needs a dense sigmoid output layer (it computes the sigmoid itself)");

  TrainJobResult job;
  const PreprocessKind preprocess = choose_preprocess_kind(options.preprocess, data.image_height > 0);
  job.model.preprocessor = data.bytes ? Preprocessor::fit(preprocess, *data.bytes) : Preprocessor::fit(preprocess, data.x);
  if (!data.bytes) job.model.preprocessor.apply(data.x);
  const PreprocessedRows rows = data.bytes ? PreprocessedRows(*data.bytes, job.model.preprocessor) : PreprocessedRows(data.x);
  job.model.feature_names = data.feature_names;
  // With --resume the checkpoint is read and checked against the options and data now, before
  // the network is built and the banner printed.
  const TrainControl control = checkpoint_control(options, [&rows] { return data_fingerprint(rows); }, hooks.stop);
  job.model.image_height = data.image_height;
  job.model.image_width = data.image_width;
  // One-channel images given by --input-shape on data that does not say it holds images (.npy
  // rows, CSV): recorded too, so reconstruct can draw them.
  if (data.image_height == 0 && spec.input_shape.size() == 3 && spec.input_shape[0] == 1) {
    job.model.image_height = spec.input_shape[1];
    job.model.image_width = spec.input_shape[2];
  }
  job.model.loss = loss->name();
  job.model.network = std::make_unique<Autoencoder>(spec, options.train.seed);
  job.train_rows = rows.rows();
  job.features = features;
  // Training FLOPs per batch: 2 per multiply-add, in the forward pass and in the two backward
  // products (weights and inputs).
  const double batch_flops = 6.0 * job.model.network->multiply_adds_per_sample() *
                             static_cast<double>(std::min(options.train.batch_size, rows.rows()));
  job.threads = thread_choice(options.threads, batch_flops);
  set_num_threads(job.threads.threads);
  // Said once the model they describe is valid, so that a bad option gives its one error line.
  if (!defaults_note.empty() && hooks.on_note) hooks.on_note(defaults_note);
  if (hooks.on_start) hooks.on_start(data, *job.model.network, job.threads);
  auto warn = [&](std::optional<std::string> warning) {
    if (!warning) return;
    if (hooks.on_warning) hooks.on_warning(*warning);
    job.warnings.push_back(std::move(*warning));
  };
  warn(output_range_warning(spec, rows, preprocess_kind_name(job.model.preprocessor.kind())));
  warn(code_width_warning(spec, *job.model.network, options.train.optimizer.weight_decay));

  // A resumed run takes its weights from the checkpoint, which was written after pretraining:
  // pretraining again would cost its minutes only for the checkpoint to overwrite the result.
  const bool resumed = !options.resume.empty();
  std::vector<PretrainedLayer> pretrained;
  if (!resumed) {
    // Pretraining works on one float matrix of all rows: bytes are converted for it, float data
    // (already preprocessed in place) is used as it is, not copied.
    if (pretrain.method != PretrainMethod::None && data.bytes)
      pretrained = pretrain_greedy(*job.model.network, rows.to_tensor(), pretrain, hooks.on_note);
    else if (pretrain.method != PretrainMethod::None)
      pretrained = pretrain_greedy(*job.model.network, data.x, pretrain, hooks.on_note);
  } else if (pretrain.method != PretrainMethod::None && hooks.on_note) {
    hooks.on_note("pretraining skipped: resuming from " + options.resume + ", which holds the pretrained weights");
  }
  // Only training runs in bf16: the test error below, like any later use of the saved (fp32)
  // model, is computed in fp32.
  job.model.network->set_precision(precision);
  job.history = train(*job.model.network, rows, *loss, options.train, hooks.observer, control);
  job.model.network->set_precision(Precision::Fp32);
  Tensor sample_rows;
  const ConstMatrixView sample = rows.block(0, std::min(rows.rows(), kWastedRunSampleRows), sample_rows);
  warn(collapsed_code_warning(*job.model.network, sample));
  warn(stalled_loss_warning(*job.model.network, sample));

  try {
    job.model.anomaly = AnomalyProfile::fit(*job.model.network, rows, score_metric, threshold_rule);
  } catch (const InputError& e) {
    // The data was valid (it trained); what fails here is the trained model's output on it, which
    // overflowed (with --skip-nonfinite every batch may have been skipped): divergence, exit 3.
    const int epochs = static_cast<int>(job.history.history.size());
    throw NonFiniteError(detail::concat("training diverged: the trained model's output on the training data is not "
                                        "finite (", e.what(), "; ", job.history.skipped_batches,
                                        " batches were skipped as non-finite); try a smaller learning rate, "
                                        "--preprocess, or --clip-norm"),
                         epochs, 0);
  }
  job.model.training = {{"settings", settings_json(options)},
                        {"data", data.source},
                        {"rows", rows.rows()},
                        {"history", history_json(job.history)},
                        {"best_epoch", job.history.best_epoch},
                        {"stopped_early", job.history.stopped_early},
                        {"skipped_nonfinite_batches", job.history.skipped_batches},
                        {"warnings", job.warnings}};
  if (!pretrained.empty()) {
    nlohmann::json layers = nlohmann::json::array();
    for (const PretrainedLayer& l : pretrained)
      layers.push_back({{"visible", l.visible}, {"hidden", l.hidden}, {"units", l.units}, {"first_error", l.first_error},
                        {"last_error", l.last_error}});
    job.model.training["pretraining"] = {{"method", options.pretrain}, {"layers", layers}};
  } else if (resumed && pretrain.method != PretrainMethod::None) {
    // The layers' errors were reported by the interrupted run that pretrained.
    job.model.training["pretraining"] = {{"method", options.pretrain}, {"done_by", "the interrupted run resumed"}};
  }
  if (!options.test.empty()) {
    Dataset test = load_dataset(options.test, csv);
    check_feature_names(data.feature_names, test, "the training data " + data.source);
    if (test.x.cols() != features)
      fail(test.source, " has ", test.x.cols(), " features but the training data has ", features);
    job.model.preprocessor.apply(test.x);
    job.test_mse_per_element = reconstruction_mse(*job.model.network, test.x.view());
    job.test_loss = evaluate_loss(*job.model.network, test.x.view(), *loss);
    job.model.training["test"] = {{"data", test.source},
                                  {"mse_per_element", job.test_mse_per_element},
                                  {"loss", job.test_loss}};
  }
  return job;
}

}  // namespace aekit
