#include <aekit/train/trainer.h>

#include <aekit/core/error.h>
#include <aekit/core/parallel_for.h>
#include <aekit/core/rng.h>
#include <aekit/core/step_threads.h>
#include <aekit/core/threads.h>
#include <aekit/train/clip.h>
#include <aekit/train/gradient_norm_bound.h>
#include <aekit/train/dense_rows.h>
#include <aekit/train/norm_voucher.h>
#include <aekit/train/schedule.h>

#include <algorithm>
#include <chrono>
#include <numeric>

namespace aekit {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::vector<Tensor> snapshot(const std::vector<Param>& params) {
  std::vector<Tensor> copy;
  for (const Param& p : params) copy.push_back(*p.value);
  return copy;
}

void restore(const std::vector<Param>& params, const std::vector<Tensor>& saved) {
  for (size_t i = 0; i < params.size(); ++i) *params[i].value = saved[i];
}

// Adds the batch's terms, weighted by its rows, into the epoch's sums (by name, in first-seen
// order) and returns their sum for this batch.
double add_terms(const std::vector<LossTerm>& terms, int64_t rows, std::vector<LossTerm>& sums) {
  double total = 0.0;
  for (const LossTerm& t : terms) {
    total += t.value;
    auto it = std::find_if(sums.begin(), sums.end(), [&](const LossTerm& s) { return s.name == t.name; });
    if (it == sums.end()) it = sums.insert(sums.end(), {t.name, 0.0});
    it->value += t.value * static_cast<double>(rows);
  }
  return total;
}

template <typename... Parts>
std::string concat_message(const Parts&... parts) {
  return printable(detail::concat(parts...));
}

std::string describe_nonfinite(double objective, float grad_norm, int epoch, int64_t batch, int64_t batches) {
  const bool loss_bad = !std::isfinite(objective);
  return concat_message("training diverged: ", loss_bad ? "the loss is " : "the gradient norm is ",
                        loss_bad ? objective : static_cast<double>(grad_norm), " at epoch ", epoch, ", batch ", batch,
                        " of ", batches, "; the weights are those of the last finite update (try a smaller learning "
                        "rate, --clip-norm, or --skip-nonfinite to skip such batches)");
}

}  // namespace

void TrainConfig::validate() const {
  if (epochs < 1) fail("epochs must be at least 1, got ", epochs);
  if (batch_size < 1) fail("batch size must be at least 1, got ", batch_size);
  if (!(validation_split >= 0.0f && validation_split < 1.0f))
    fail("validation split must be in [0, 1), got ", validation_split);
  if (patience < 0) fail("patience must be >= 0, got ", patience);
  if (patience > 0 && validation_split <= 0.0f)
    fail("early stopping (patience ", patience, ") needs a validation split > 0");
  if (!(clip_norm >= 0.0f)) fail("gradient clipping norm must be >= 0, got ", clip_norm);
  if (!(min_delta >= 0.0f)) fail("min_delta must be >= 0, got ", min_delta);
}

TrainResult train(Autoencoder& model, const Tensor& x, const Loss& loss, const TrainConfig& config,
                  TrainObserver* observer, const TrainControl& control) {
  return train(model, PreprocessedRows(x), loss, config, observer, control);
}

TrainResult train(Autoencoder& model, const PreprocessedRows& x, const Loss& loss, const TrainConfig& config,
                  TrainObserver* observer, const TrainControl& control) {
  DenseRows rows(model, x, loss);
  return train(rows, config, observer, control);
}

void shuffle_for_epoch(std::vector<int64_t>& order, Rng& rng, const TrainConfig& config) {
  if (config.shuffle) shuffle(order.begin(), order.end(), rng);
}

void replay_shuffles(std::vector<int64_t>& order, Rng& rng, const LoopState& loop, const TrainConfig& config) {
  const int shuffled = loop.batches_done > 0 ? loop.epoch : loop.epoch - 1;
  for (int e = 0; e < shuffled; ++e) shuffle_for_epoch(order, rng, config);
}

TrainResult train(BatchSource& data, const TrainConfig& config, TrainObserver* observer, const TrainControl& control) {
  config.validate();
  // However training ends, the model holds what it trained (BatchSource::end_training).
  struct EndTraining {
    BatchSource& data;
    ~EndTraining() { data.end_training(); }
  } end_training{data};
  Rng rng(config.seed);
  data.hold_out(config.validation_split, rng);
  const int64_t train_rows = data.rows();
  if (train_rows == 0) fail("no training rows left after the validation split");
  std::vector<int64_t> order(static_cast<size_t>(train_rows));
  std::iota(order.begin(), order.end(), int64_t{0});

  std::vector<Param> params = data.params();
  std::vector<ParamRef> refs;
  std::vector<std::span<float>> grads;
  for (const Param& p : params) {
    refs.push_back({p.value->data(), p.grad->data(), p.value->size()});
    grads.push_back(p.grad->span());
  }
  auto optimizer = make_optimizer(config.optimizer, refs);
  if (config.clip_norm <= 0.0f) data.use_row_updates(*optimizer);
  const LrSchedule schedule = LrSchedule::parse(config.schedule, config.optimizer.lr, config.epochs);
  const int64_t batches = (train_rows + config.batch_size - 1) / config.batch_size;
  const auto clip_scale = [&](float norm) {
    return config.clip_norm > 0.0f ? clip_coefficient(norm, config.clip_norm) : 1.0f;
  };

  auto* voucher = dynamic_cast<NormVoucher*>(&data);  // norm_voucher.h

  LoopState s;
  if (control.resume) control.resume(s, data, *optimizer, rng, order);
  if (s.batches_done > batches)
    fail("the checkpoint is at batch ", s.batches_done, " of an epoch of ", batches, " batches");
  // Saves and stops when a signal asked for it; `where()` names the moment for the message, built
  // only then (a message built every batch was ~2,000 instructions of a seed-sae step: a stream,
  // its locale's facets and an allocation, callgrind).
  const auto stop_if_asked = [&](const auto& where) {
    const int signal = control.stop ? control.stop->load() : 0;
    if (signal == 0) return;
    if (control.save) control.save({s, data, *optimizer, rng});
    throw TrainingInterrupted("training interrupted " + where(), signal);
  };

  StepThreads step_threads;  // for a source whose steps run on the worker team
  for (int epoch = s.epoch; epoch <= config.epochs; ++epoch) {
    optimizer->set_lr(schedule.lr_at(epoch - 1));
    if (s.batches_done == 0) shuffle_for_epoch(order, rng, config);
    data.begin_epoch(epoch - 1);
    const auto start = Clock::now();
    for (int64_t b = s.batches_done; b < batches; ++b) {
      const int64_t begin = b * config.batch_size;
      const int64_t count = std::min(config.batch_size, train_rows - begin);
      const auto step_start = Clock::now();
      const bool on_team = data.steps_on_team();
      const LoopsOnTeam loops(on_team ? step_threads.next(num_threads()) : 0);
      data.begin_step(static_cast<int64_t>(epoch - 1) * batches + b);
      const double batch_loss = data.train_batch(std::span(order).subspan(
          static_cast<size_t>(begin), static_cast<size_t>(count)));
      const std::vector<LossTerm> terms = data.loss_terms();
      double objective = batch_loss;
      for (const LossTerm& t : terms) objective += t.value;
      // The guard (nonfinite.h): nothing non-finite reaches the weights or the optimizer's state.
      // Unless clipping needs the norm's value, a proof that it is finite spares its pass: a source
      // that vouches for it without reading the gradients, else a bound from their largest
      // magnitude (gradient_norm_bound.h); a batch neither vouches for gets the norm itself.
      const bool source_vouched =
          config.clip_norm <= 0.0f && voucher != nullptr && voucher->gradient_norm_known_finite();
      const bool vouched = source_vouched || (config.clip_norm <= 0.0f && gradient_norm_bounded(grads));
      float grad_norm = vouched ? 0.0f : global_grad_norm(grads);
      s.batches_done = b + 1;
      if (!std::isfinite(objective) || !std::isfinite(grad_norm)) {
        if (!config.skip_nonfinite)
          throw NonFiniteError(describe_nonfinite(objective, grad_norm, epoch, b + 1, batches), epoch, b + 1);
        ++s.result.skipped_batches;
      } else {
        const double batch_penalty = add_terms(terms, count, s.term_sums);
        // Clipping and the check that the weights are still finite ride in the update's own pass
        // (Optimizer::step): the gradients are not rewritten, and no other pass reads the weights.
        bool weights_finite = optimizer->step(clip_scale(grad_norm));
        // For the message below (without the parameters the source updated itself: their gradients
        // were never stored, BatchSource::use_row_updates).
        if (!weights_finite && vouched) grad_norm = global_grad_norm(grads);
        // Further steps of the same batch (BatchSource::next_step), under the same guards; most
        // sources have none, and pay nothing. Weights a step made non-finite are reported below.
        while (weights_finite && data.next_step()) {
          AEKIT_ASSERT(!source_vouched, "a source that vouches for its gradients' norm took a further step");
          const float extra_norm = global_grad_norm(grads);
          if (!std::isfinite(extra_norm)) {
            if (!config.skip_nonfinite)
              throw NonFiniteError(describe_nonfinite(batch_loss, extra_norm, epoch, b + 1, batches), epoch, b + 1);
            break;
          }
          weights_finite = optimizer->step(clip_scale(extra_norm));
        }
        if (!weights_finite)
          throw NonFiniteError(concat_message("training diverged: the update of epoch ", epoch, ", batch ", b + 1, " of ",
                                              batches, " made the weights non-finite (gradient norm ", grad_norm,
                                              "); try a smaller learning rate or --clip-norm"),
                               epoch, b + 1);
        s.rows_trained += count;
        s.loss_sum += batch_loss * static_cast<double>(count);
        if (observer)
          observer->on_batch(
              {epoch, config.epochs, b + 1, batches, begin + count, batch_loss, batch_penalty, seconds_since(start)});
      }
      if (on_team) step_threads.took(seconds_since(step_start));
      const int64_t run_batch = static_cast<int64_t>(epoch - 1) * batches + b + 1;
      if (control.save && control.every_batches > 0 && run_batch % control.every_batches == 0 && b + 1 < batches)
        control.save({s, data, *optimizer, rng});
      stop_if_asked([&] { return concat_message("at epoch ", epoch, ", batch ", b + 1, " of ", batches); });
    }
    EpochReport report{};
    report.epoch = epoch;
    report.epochs = config.epochs;
    report.train_loss = s.loss_sum / static_cast<double>(s.rows_trained);  // NaN when every batch was skipped
    for (LossTerm& t : s.term_sums) t.value /= static_cast<double>(s.rows_trained);
    report.terms = std::move(s.term_sums);
    report.seconds = seconds_since(start);
    report.samples_per_second = static_cast<double>(train_rows) / std::max(report.seconds, 1e-9);
    report.lr = optimizer->lr();
    const bool validating = data.has_validation();
    report.val_loss = validating ? data.validation_loss() : std::nan("");
    const double monitored = validating ? report.val_loss : report.train_loss;
    if (monitored < s.best_loss - config.min_delta) {
      s.best_loss = monitored;
      s.result.best_epoch = epoch;
      report.best = true;
      s.epochs_without_improvement = 0;
      if (config.patience > 0) s.best_weights = snapshot(params);
    } else {
      ++s.epochs_without_improvement;
    }
    s.result.history.push_back(report);
    // The next epoch, not begun: what a checkpoint taken now resumes from.
    s.epoch = epoch + 1;
    s.batches_done = 0;
    s.loss_sum = 0.0;
    s.rows_trained = 0;
    s.term_sums.clear();
    if (observer) observer->on_epoch(report);
    if (config.patience > 0 && s.epochs_without_improvement >= config.patience) {
      s.result.stopped_early = epoch < config.epochs;
      break;
    }
    if (epoch < config.epochs) {
      const int64_t run_batch = static_cast<int64_t>(epoch) * batches;
      const bool epoch_due = control.every_epochs > 0 && epoch % control.every_epochs == 0;
      const bool batch_due = control.every_batches > 0 && run_batch % control.every_batches == 0;
      if (control.save && (epoch_due || batch_due)) control.save({s, data, *optimizer, rng});
      stop_if_asked([&] { return concat_message("after epoch ", epoch, " of ", config.epochs); });
    }
  }
  TrainResult result = std::move(s.result);
  if (config.patience > 0 && !s.best_weights.empty()) {
    restore(params, s.best_weights);
  } else {
    result.best_epoch = static_cast<int>(result.history.size());
  }
  return result;
}

}  // namespace aekit
