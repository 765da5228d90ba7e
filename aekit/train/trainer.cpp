#include <aekit/train/trainer.h>

#include <aekit/core/error.h>
#include <aekit/core/rng.h>
#include <aekit/train/clip.h>
#include <aekit/train/dense_rows.h>
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
                  TrainObserver* observer) {
  DenseRows rows(model, x, loss);
  return train(rows, config, observer);
}

TrainResult train(BatchSource& data, const TrainConfig& config, TrainObserver* observer) {
  config.validate();
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
  const LrSchedule schedule = LrSchedule::parse(config.schedule, config.optimizer.lr, config.epochs);

  TrainResult result;
  std::vector<Tensor> best_weights;
  double best_loss = std::numeric_limits<double>::infinity();
  int epochs_without_improvement = 0;
  const int64_t batches = (train_rows + config.batch_size - 1) / config.batch_size;

  for (int epoch = 1; epoch <= config.epochs; ++epoch) {
    optimizer->set_lr(schedule.lr_at(epoch - 1));
    if (config.shuffle) shuffle(order.begin(), order.end(), rng);
    data.begin_epoch(epoch - 1);
    const auto start = Clock::now();
    double loss_sum = 0.0;
    int64_t rows_trained = 0;  // rows of the batches applied (skipped ones are not)
    std::vector<LossTerm> term_sums;
    for (int64_t b = 0; b < batches; ++b) {
      const int64_t begin = b * config.batch_size;
      const int64_t count = std::min(config.batch_size, train_rows - begin);
      const double batch_loss = data.train_batch(std::span(order).subspan(
          static_cast<size_t>(begin), static_cast<size_t>(count)));
      const std::vector<LossTerm> terms = data.loss_terms();
      double objective = batch_loss;
      for (const LossTerm& t : terms) objective += t.value;
      // The guard (nonfinite.h): nothing non-finite reaches the weights or the optimizer's state.
      const float grad_norm = global_grad_norm(grads);
      if (!std::isfinite(objective) || !std::isfinite(grad_norm)) {
        if (config.skip_nonfinite) {
          ++result.skipped_batches;
          continue;
        }
        throw NonFiniteError(describe_nonfinite(objective, grad_norm, epoch, b + 1, batches), epoch, b + 1);
      }
      const double batch_penalty = add_terms(terms, count, term_sums);
      if (config.clip_norm > 0.0f) scale_to_max_norm(grads, grad_norm, config.clip_norm);
      optimizer->step();
      if (!all_finite(params))
        throw NonFiniteError(concat_message("training diverged: the update of epoch ", epoch, ", batch ", b + 1, " of ",
                                            batches, " made the weights non-finite (gradient norm ", grad_norm,
                                            "); try a smaller learning rate or --clip-norm"),
                             epoch, b + 1);
      rows_trained += count;
      loss_sum += batch_loss * static_cast<double>(count);
      if (observer)
        observer->on_batch(
            {epoch, config.epochs, b + 1, batches, begin + count, batch_loss, batch_penalty, seconds_since(start)});
    }
    EpochReport report{};
    report.epoch = epoch;
    report.epochs = config.epochs;
    report.train_loss = loss_sum / static_cast<double>(rows_trained);  // NaN when every batch was skipped
    for (LossTerm& t : term_sums) t.value /= static_cast<double>(rows_trained);
    report.terms = std::move(term_sums);
    report.seconds = seconds_since(start);
    report.samples_per_second = static_cast<double>(train_rows) / std::max(report.seconds, 1e-9);
    report.lr = optimizer->lr();
    const bool validating = data.has_validation();
    report.val_loss = validating ? data.validation_loss() : std::nan("");
    const double monitored = validating ? report.val_loss : report.train_loss;
    if (monitored < best_loss - config.min_delta) {
      best_loss = monitored;
      result.best_epoch = epoch;
      report.best = true;
      epochs_without_improvement = 0;
      if (config.patience > 0) best_weights = snapshot(params);
    } else {
      ++epochs_without_improvement;
    }
    result.history.push_back(report);
    if (observer) observer->on_epoch(report);
    if (config.patience > 0 && epochs_without_improvement >= config.patience) {
      result.stopped_early = epoch < config.epochs;
      break;
    }
  }
  if (config.patience > 0 && !best_weights.empty()) {
    restore(params, best_weights);
  } else {
    result.best_epoch = static_cast<int>(result.history.size());
  }
  return result;
}

}  // namespace aekit
