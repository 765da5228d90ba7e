#include <aekit/train/checkpoint.h>

#include <aekit/core/error.h>
#include <aekit/core/json_checked.h>
#include <aekit/data/atomic_file.h>
#include <aekit/io/data_checksum.h>
#include <aekit/io/model_file.h>

#include <nlohmann/json.hpp>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>

namespace aekit {

namespace {

constexpr const char* kCheckpointFormat = "aekit-checkpoint";
constexpr const char* kCheckpointFormatVersion = "1";

// Options that do not change what training computes: a resumed run may give them differently.
// (--threads changes the rounding of parallel sums: resuming on another count continues
// correctly, but not bit for bit.)
bool shapes_training(const std::string& option) {
  static const std::set<std::string> free{"out",       "metrics-csv",      "test",      "ratings-test",
                                          "threads",   "contamination",    "threshold", "score-metric",
                                          "checkpoint", "checkpoint-every", "resume"};
  return !free.contains(option);
}

nlohmann::ordered_json training_settings(const TrainOptions& options) {
  nlohmann::ordered_json settings = nlohmann::ordered_json::object();
  for (const OptionDef& def : train_option_table())
    if (shapes_training(def.name)) settings[def.name] = def.get(options);
  return settings;
}

// Doubles as C99 hex floats: exact, and inf or nan (an epoch whose batches were all skipped) too.
std::string exact(double v) {
  char text[64];
  std::snprintf(text, sizeof(text), "%a", v);
  return text;
}

// --- writing ------------------------------------------------------------------------------

nlohmann::json terms_json(const std::vector<LossTerm>& terms) {
  nlohmann::json out = nlohmann::json::array();
  for (const LossTerm& t : terms) out.push_back({t.name, exact(t.value)});
  return out;
}

nlohmann::json loop_json(const LoopState& loop) {
  nlohmann::json history = nlohmann::json::array();
  for (const EpochReport& e : loop.result.history)
    history.push_back({{"epoch", e.epoch},
                       {"epochs", e.epochs},
                       {"train_loss", exact(e.train_loss)},
                       {"terms", terms_json(e.terms)},
                       {"val_loss", exact(e.val_loss)},
                       {"seconds", exact(e.seconds)},
                       {"samples_per_second", exact(e.samples_per_second)},
                       {"lr", exact(e.lr)},
                       {"best", e.best}});
  return {{"epoch", loop.epoch},
          {"batches_done", loop.batches_done},
          {"loss_sum", exact(loop.loss_sum)},
          {"rows_trained", loop.rows_trained},
          {"term_sums", terms_json(loop.term_sums)},
          {"best_loss", exact(loop.best_loss)},
          {"epochs_without_improvement", loop.epochs_without_improvement},
          {"has_best_weights", !loop.best_weights.empty()},
          {"best_epoch", loop.result.best_epoch},
          {"skipped_batches", loop.result.skipped_batches},
          {"history", history}};
}

ModelFile checkpoint_file(const TrainingMoment& m, const nlohmann::ordered_json& settings,
                          const std::string& fingerprint, const std::string& optimizer_name) {
  ModelFile file;
  file.metadata["format"] = kCheckpointFormat;
  file.metadata["format_version"] = kCheckpointFormatVersion;
  file.metadata["settings"] = settings.dump();
  file.metadata["data"] = fingerprint;
  file.metadata["loop"] = loop_json(m.loop).dump();
  file.metadata["rng"] = m.rng.state();
  nlohmann::json generators = nlohmann::json::array();
  for (const Rng* g : m.data.generators()) generators.push_back(g->state());
  file.metadata["generators"] = generators.dump();
  file.metadata["optimizer"] = nlohmann::json{{"name", optimizer_name}, {"steps", m.optimizer.steps()}}.dump();
  const std::vector<Param> params = m.data.params();
  for (const Param& p : params) file.tensors.push_back({"param." + p.name, *p.value, false});
  for (const Param& p : m.data.state_tensors()) file.tensors.push_back({"state." + p.name, *p.value, p.integer});
  for (const OptimizerSlot& slot : m.optimizer.slots()) {
    Tensor values({static_cast<int64_t>(slot.values->size())});
    std::copy(slot.values->begin(), slot.values->end(), values.data());
    file.tensors.push_back({"optimizer." + slot.name, std::move(values), false});
  }
  for (size_t i = 0; i < m.loop.best_weights.size() && i < params.size(); ++i)
    file.tensors.push_back({"best." + params[i].name, m.loop.best_weights[i], false});
  return file;
}

// --- reading ------------------------------------------------------------------------------

// A loaded checkpoint and the path it came from, for messages.
struct Checkpoint {
  std::string path;
  ModelFile file;
  nlohmann::json loop;

  [[noreturn]] void damaged(const std::string& what) const {
    fail(path, ": damaged checkpoint: ", what);
  }
  const std::string& meta(const std::string& key) const {
    auto it = file.metadata.find(key);
    if (it == file.metadata.end()) damaged("no '" + key + "' in its metadata");
    return it->second;
  }
  nlohmann::json meta_json(const std::string& key) const {
    try {
      return nlohmann::json::parse(meta(key));
    } catch (const nlohmann::json::exception&) {
      damaged("'" + key + "' is not JSON");
    }
  }
  double exact_at(const nlohmann::json& j, const char* key) const {
    if (!j.is_object() || !j.contains(key) || !j[key].is_string()) damaged(std::string("loop field '") + key + "'");
    const std::string text = j[key].get<std::string>();
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0') damaged(std::string("loop field '") + key + "' is '" + text + "'");
    return v;
  }
  int64_t integer_at(const nlohmann::json& j, const char* key, int64_t lo, int64_t hi) const {
    if (!j.is_object() || !j.contains(key)) damaged(std::string("no loop field '") + key + "'");
    const std::optional<int64_t> v = json_integer(j[key], lo, hi);
    if (!v) damaged(std::string("loop field '") + key + "' is out of range");
    return *v;
  }
  std::vector<LossTerm> terms_at(const nlohmann::json& j, const char* key) const {
    if (!j.is_object() || !j.contains(key) || !j[key].is_array()) damaged(std::string("loop field '") + key + "'");
    std::vector<LossTerm> terms;
    for (const nlohmann::json& t : j[key]) {
      if (!t.is_array() || t.size() != 2 || !t[0].is_string()) damaged(std::string("loop field '") + key + "'");
      const nlohmann::json pair{{"v", t[1]}};
      terms.push_back({t[0].get<std::string>(), exact_at(pair, "v")});
    }
    return terms;
  }
  // Copies tensor `name` into `out`, whose shape it must have.
  void copy_tensor(const std::string& name, Tensor& out) const {
    const Tensor& stored = file.tensor(name, path);
    if (stored.shape() != out.shape())
      damaged("tensor '" + name + "' has another shape than this run's (" + std::to_string(stored.size()) + " values, not " +
              std::to_string(out.size()) + ")");
    std::copy(stored.span().begin(), stored.span().end(), out.data());
  }
};

Checkpoint read_checkpoint(const std::string& path) {
  // Said as what it is: the model reader's "cannot open the model file" would send the user
  // looking for a model.
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    fail(path, ": the checkpoint to resume from does not exist (--resume names the .ckpt file an interrupted run "
               "wrote, by default beside its --out)");
  Checkpoint c{path, load_model(path), {}};
  auto format = c.file.metadata.find("format");
  if (format == c.file.metadata.end() || format->second != kCheckpointFormat)
    fail(path, ": not an aekit checkpoint (metadata \"format\" is ",
         format == c.file.metadata.end() ? "missing" : "'" + format->second + "'", ", expected '", kCheckpointFormat,
         "')");
  if (c.meta("format_version") != kCheckpointFormatVersion)
    fail(path, ": aekit checkpoint format version '", c.meta("format_version"), "' is not supported (this aekit reads ",
         kCheckpointFormatVersion, ")");
  c.loop = c.meta_json("loop");
  return c;
}

// The first option whose value differs, as one line; empty when they all agree.
std::string settings_difference(const nlohmann::json& saved, const nlohmann::ordered_json& now) {
  for (const auto& [name, value] : now.items()) {
    const std::string then = saved.contains(name) && saved[name].is_string() ? saved[name].get<std::string>() : "(unset)";
    if (then != value.get<std::string>())
      return "--" + name + " was '" + then + "' and is now '" + value.get<std::string>() + "'";
  }
  return "";
}

void check_matches(const Checkpoint& c, const nlohmann::ordered_json& settings, const std::string& fingerprint) {
  const std::string difference = settings_difference(c.meta_json("settings"), settings);
  if (!difference.empty())
    fail(c.path, ": the checkpoint was written with other options (", difference,
         "); resume with the options it was written with");
  if (c.meta("data") != fingerprint)
    fail(c.path, ": the checkpoint was written for other training data (", c.meta("data"), "; this run's: ", fingerprint,
         ")");
}

LoopState restore_loop(const Checkpoint& c, int64_t batches_per_epoch, int epochs) {
  const nlohmann::json& j = c.loop;
  LoopState s;
  s.epoch = static_cast<int>(c.integer_at(j, "epoch", 1, epochs));
  s.batches_done = c.integer_at(j, "batches_done", 0, batches_per_epoch);
  s.loss_sum = c.exact_at(j, "loss_sum");
  s.rows_trained = c.integer_at(j, "rows_trained", 0, INT64_MAX);
  s.term_sums = c.terms_at(j, "term_sums");
  s.best_loss = c.exact_at(j, "best_loss");
  s.epochs_without_improvement = static_cast<int>(c.integer_at(j, "epochs_without_improvement", 0, epochs));
  s.result.best_epoch = static_cast<int>(c.integer_at(j, "best_epoch", 0, epochs));
  s.result.skipped_batches = c.integer_at(j, "skipped_batches", 0, INT64_MAX);
  if (!j.contains("history") || !j["history"].is_array() || j["history"].size() != static_cast<size_t>(s.epoch - 1))
    c.damaged("loop field 'history'");
  for (const nlohmann::json& e : j["history"]) {
    EpochReport r{};
    r.epoch = static_cast<int>(c.integer_at(e, "epoch", 1, epochs));
    r.epochs = static_cast<int>(c.integer_at(e, "epochs", 1, epochs));
    r.train_loss = c.exact_at(e, "train_loss");
    r.terms = c.terms_at(e, "terms");
    r.val_loss = c.exact_at(e, "val_loss");
    r.seconds = c.exact_at(e, "seconds");
    r.samples_per_second = c.exact_at(e, "samples_per_second");
    r.lr = static_cast<float>(c.exact_at(e, "lr"));
    if (!e.contains("best") || !e["best"].is_boolean()) c.damaged("loop field 'best'");
    r.best = e["best"].get<bool>();
    s.result.history.push_back(std::move(r));
  }
  return s;
}

void restore_run(const Checkpoint& c, const TrainConfig& config, LoopState& s, BatchSource& data,
                 Optimizer& optimizer, Rng& rng, std::vector<int64_t>& order) {
  const int64_t batches = (data.rows() + config.batch_size - 1) / config.batch_size;
  s = restore_loop(c, batches, config.epochs);
  const std::vector<Param> params = data.params();
  for (const Param& p : params) c.copy_tensor("param." + p.name, *p.value);
  for (const Param& p : data.state_tensors()) c.copy_tensor("state." + p.name, *p.value);
  for (const OptimizerSlot& slot : optimizer.slots()) {
    const Tensor& stored = c.file.tensor("optimizer." + slot.name, c.path);
    if (stored.size() != static_cast<int64_t>(slot.values->size())) c.damaged("tensor 'optimizer." + slot.name + "' has another size");
    std::copy(stored.span().begin(), stored.span().end(), slot.values->begin());
  }
  const nlohmann::json opt = c.meta_json("optimizer");
  optimizer.set_steps(c.integer_at(opt, "steps", 0, INT64_MAX));
  if (c.loop.value("has_best_weights", false))
    for (const Param& p : params) {
      s.best_weights.emplace_back(p.value->shape());
      c.copy_tensor("best." + p.name, s.best_weights.back());
    }
  const nlohmann::json generators = c.meta_json("generators");
  const std::vector<Rng*> layer_generators = data.generators();
  if (!generators.is_array() || generators.size() != layer_generators.size())
    c.damaged("it holds another number of layer generators than the model has");
  for (size_t i = 0; i < layer_generators.size(); ++i) {
    if (!generators[i].is_string()) c.damaged("a layer generator's state is not text");
    layer_generators[i]->set_state(generators[i].get<std::string>());
  }
  replay_shuffles(order, rng, s, config);
  if (rng.state() != c.meta("rng"))
    fail(c.path, ": the checkpoint does not fit this run: its shuffling generator differs from the one this run's seed "
         "and data give at epoch ", s.epoch, " (other data or options)");
}

}  // namespace

CheckpointSchedule CheckpointSchedule::parse(const std::string& text) {
  CheckpointSchedule schedule;
  if (text.empty()) return schedule;
  const bool batches = text.back() == 'b';
  const std::string digits = batches ? text.substr(0, text.size() - 1) : text;
  int64_t n = -1;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || n < 0 ||
      (!batches && n > INT32_MAX))
    fail("--checkpoint-every: '", text, "' is not a number of epochs (2) or of batches (500b)");
  if (batches) schedule.batches = n;
  else schedule.epochs = static_cast<int>(n);
  return schedule;
}

std::string checkpoint_path(const TrainOptions& options) {
  return options.checkpoint.empty() ? options.out + ".ckpt" : options.checkpoint;
}

std::string data_fingerprint(ConstMatrixView x) {
  uint32_t crc = 0;
  for (int64_t r = 0; r < x.rows; ++r) crc = crc32_update(crc, x.row(r), static_cast<size_t>(x.cols) * sizeof(float));
  return detail::concat(x.rows, " x ", x.cols, ", CRC-32 ", checksum_text(crc));
}

std::string data_fingerprint(const PreprocessedRows& x) {
  uint32_t crc = 0;
  x.for_each_block(64, [&](int64_t, ConstMatrixView block) {
    crc = crc32_update(crc, block.data, static_cast<size_t>(block.size()) * sizeof(float));
  });
  return detail::concat(x.rows(), " x ", x.cols(), ", CRC-32 ", checksum_text(crc));
}

std::string data_fingerprint(const CsrMatrix& x) {
  uint32_t crc = 0;
  crc = crc32_update(crc, x.row_ptr().data(), x.row_ptr().size() * sizeof(int64_t));
  crc = crc32_update(crc, x.col_idx().data(), x.col_idx().size() * sizeof(int32_t));
  crc = crc32_update(crc, x.values().data(), x.values().size() * sizeof(float));
  return detail::concat(x.rows(), " x ", x.cols(), " (", x.nnz(), " ratings), CRC-32 ", checksum_text(crc));
}

TrainControl checkpoint_control(const TrainOptions& options, const std::string& fingerprint,
                                const std::atomic<int>* stop) {
  return checkpoint_control(options, std::function<std::string()>([fingerprint] { return fingerprint; }), stop);
}

TrainControl checkpoint_control(const TrainOptions& options, std::function<std::string()> compute_fingerprint,
                                const std::atomic<int>* stop) {
  // Computed at the first save or resume, once: a CRC of MNIST's 188 MB of floats would otherwise
  // delay every run's first batch, though most runs never save a checkpoint.
  auto known = std::make_shared<std::optional<std::string>>();
  const auto fingerprint = [known, compute = std::move(compute_fingerprint)] {
    if (!*known) *known = compute();
    return **known;
  };
  const CheckpointSchedule schedule = CheckpointSchedule::parse(options.checkpoint_every);
  const std::string path = checkpoint_path(options);
  const nlohmann::ordered_json settings = training_settings(options);
  remove_stale_temporary_files(path);
  TrainControl control;
  control.every_epochs = schedule.epochs;
  control.every_batches = schedule.batches;
  control.stop = stop;
  const std::string optimizer_name = options.train.optimizer.name;
  control.save = [path, settings, fingerprint, optimizer_name](const TrainingMoment& m) {
    save_model(path, checkpoint_file(m, settings, fingerprint(), optimizer_name));
  };
  if (!options.resume.empty()) {
    auto checkpoint = std::make_shared<const Checkpoint>(read_checkpoint(options.resume));
    check_matches(*checkpoint, settings, fingerprint());
    const TrainConfig config = options.train;
    control.resume = [checkpoint, config](LoopState& s, BatchSource& data, Optimizer& optimizer, Rng& rng,
                                          std::vector<int64_t>& order) {
      restore_run(*checkpoint, config, s, data, optimizer, rng, order);
    };
  }
  return control;
}

}  // namespace aekit
