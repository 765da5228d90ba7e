#include <aekit/train/trainer.h>

#include <aekit/core/error.h>
#include <aekit/core/rng.h>
#include <aekit/train/clip.h>
#include <aekit/train/schedule.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <numeric>

namespace aekit {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Copies rows `order[begin, begin + count)` of x into batch, one contiguous block.
void gather_rows(const Tensor& x, const std::vector<int64_t>& order, int64_t begin, int64_t count,
                 Tensor& batch) {
  const int64_t cols = x.cols();
  batch.resize({count, cols});
#pragma omp parallel for schedule(static) if (count * cols >= (1 << 16))
  for (int64_t i = 0; i < count; ++i)
    std::memcpy(batch.row(i), x.row(order[static_cast<size_t>(begin + i)]),
                static_cast<size_t>(cols) * sizeof(float));
}

std::vector<Tensor> snapshot(const std::vector<Param>& params) {
  std::vector<Tensor> copy;
  for (const Param& p : params) copy.push_back(*p.value);
  return copy;
}

void restore(const std::vector<Param>& params, const std::vector<Tensor>& saved) {
  for (size_t i = 0; i < params.size(); ++i) *params[i].value = saved[i];
}

// Sets or clears logits mode for the lifetime of one training or evaluation call.
class LogitsScope {
 public:
  LogitsScope(Autoencoder& model, const Loss& loss) : model_(model), on_(loss.takes_logits()) {
    if (on_) model_.set_output_logits(true);
  }
  ~LogitsScope() {
    if (on_) model_.set_output_logits(false);
  }
  LogitsScope(const LogitsScope&) = delete;
  LogitsScope& operator=(const LogitsScope&) = delete;

 private:
  Autoencoder& model_;
  bool on_;
};

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

double evaluate_loss(Autoencoder& model, ConstMatrixView x, const Loss& loss) {
  LogitsScope logits(model, loss);
  constexpr int64_t kChunk = 1024;
  double weighted = 0.0;
  for (int64_t r = 0; r < x.rows; r += kChunk) {
    const int64_t n = std::min(kChunk, x.rows - r);
    ConstMatrixView chunk(x.row(r), n, x.cols);
    const Tensor& out = model.forward(chunk, Mode::Infer);
    weighted += loss.compute(out.view(), chunk, nullptr) * static_cast<double>(n);
  }
  return x.rows ? weighted / static_cast<double>(x.rows) : 0.0;
}

TrainResult train(Autoencoder& model, const Tensor& x, const Loss& loss, const TrainConfig& config,
                  TrainObserver* observer) {
  config.validate();
  if (x.cols() != model.input_size())
    fail("data has ", x.cols(), " features but the model's input has ", model.input_size());
  Rng rng(config.seed);

  // Validation rows: a seeded random subset, fixed for the whole run.
  std::vector<int64_t> order(static_cast<size_t>(x.rows()));
  std::iota(order.begin(), order.end(), int64_t{0});
  const auto val_rows = static_cast<int64_t>(static_cast<double>(x.rows()) * config.validation_split);
  Tensor val;
  if (val_rows > 0) {
    shuffle(order.begin(), order.end(), rng);
    gather_rows(x, order, x.rows() - val_rows, val_rows, val);
    order.resize(static_cast<size_t>(x.rows() - val_rows));
    std::sort(order.begin(), order.end());
  }
  const auto train_rows = static_cast<int64_t>(order.size());
  if (train_rows == 0) fail("no training rows left after the validation split");

  std::vector<Param> params = model.params();
  std::vector<ParamRef> refs;
  std::vector<std::span<float>> grads;
  for (const Param& p : params) {
    refs.push_back({p.value->data(), p.grad->data(), p.value->size()});
    grads.push_back(p.grad->span());
  }
  auto optimizer = make_optimizer(config.optimizer, refs);
  const LrSchedule schedule = LrSchedule::parse(config.schedule, config.optimizer.lr, config.epochs);

  LogitsScope logits(model, loss);
  TrainResult result;
  std::vector<Tensor> best_weights;
  double best_loss = std::numeric_limits<double>::infinity();
  int epochs_without_improvement = 0;
  Tensor batch, grad;
  const int64_t batches = (train_rows + config.batch_size - 1) / config.batch_size;

  for (int epoch = 1; epoch <= config.epochs; ++epoch) {
    optimizer->set_lr(schedule.lr_at(epoch - 1));
    if (config.shuffle) shuffle(order.begin(), order.end(), rng);
    model.begin_epoch(epoch - 1);
    const auto start = Clock::now();
    double loss_sum = 0.0;
    std::vector<LossTerm> term_sums;
    for (int64_t b = 0; b < batches; ++b) {
      const int64_t begin = b * config.batch_size;
      const int64_t count = std::min(config.batch_size, train_rows - begin);
      gather_rows(x, order, begin, count, batch);
      const Tensor& out = model.forward(batch.view(), Mode::Train);
      const double batch_loss = loss.compute(out.view(), batch.view(), &grad);
      const double batch_penalty = add_terms(model.loss_terms(), count, term_sums);
      if (!std::isfinite(batch_loss + batch_penalty))
        fail("training diverged: loss is ", batch_loss + batch_penalty, " at epoch ", epoch, ", batch ", b + 1,
             " (try a smaller learning rate or gradient clipping)");
      model.backward(grad.view());
      if (config.clip_norm > 0.0f) clip_grad_norm(grads, config.clip_norm);
      optimizer->step();
      loss_sum += batch_loss * static_cast<double>(count);
      if (observer)
        observer->on_batch(
            {epoch, config.epochs, b + 1, batches, begin + count, batch_loss, batch_penalty, seconds_since(start)});
    }
    EpochReport report{};
    report.epoch = epoch;
    report.epochs = config.epochs;
    report.train_loss = loss_sum / static_cast<double>(train_rows);
    for (LossTerm& t : term_sums) t.value /= static_cast<double>(train_rows);
    report.terms = std::move(term_sums);
    report.seconds = seconds_since(start);
    report.samples_per_second = static_cast<double>(train_rows) / std::max(report.seconds, 1e-9);
    report.lr = optimizer->lr();
    report.val_loss = val_rows > 0 ? evaluate_loss(model, val.view(), loss) : std::nan("");
    const double monitored = val_rows > 0 ? report.val_loss : report.train_loss;
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
