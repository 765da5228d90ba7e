#include <aekit/train/dense_rows.h>

#include <aekit/core/error.h>
#include <aekit/train/trainer.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include <omp.h>

namespace aekit {

LogitsScope::LogitsScope(Autoencoder& model, const Loss& loss)
    : model_(model), was_on_(model.output_logits()) {
  model_.set_output_logits(loss.takes_logits());
}

LogitsScope::~LogitsScope() { model_.set_output_logits(was_on_); }

DenseRows::DenseRows(Autoencoder& model, const Tensor& x, const Loss& loss)
    : DenseRows(model, PreprocessedRows(x), loss) {}

DenseRows::DenseRows(Autoencoder& model, const PreprocessedRows& x, const Loss& loss)
    : model_(model), x_(x), loss_(loss), logits_(model, loss), parallel_step_(model, loss) {
  if (x.cols() != model.input_size())
    fail("data has ", x.cols(), " features but the model's input has ", model.input_size());
  train_ids_.resize(static_cast<size_t>(x.rows()));
  std::iota(train_ids_.begin(), train_ids_.end(), int64_t{0});
}

void DenseRows::hold_out(float fraction, Rng& rng) {
  const auto val_rows = static_cast<int64_t>(static_cast<double>(x_.rows()) * fraction);
  if (val_rows <= 0) return;
  shuffle(train_ids_.begin(), train_ids_.end(), rng);
  x_.gather(std::span(train_ids_).last(static_cast<size_t>(val_rows)), val_);
  train_ids_.resize(static_cast<size_t>(x_.rows() - val_rows));
  std::sort(train_ids_.begin(), train_ids_.end());
}

double DenseRows::train_batch(std::span<const int64_t> positions) {
  batch_rows_.resize(positions.size());
  for (size_t i = 0; i < positions.size(); ++i)
    batch_rows_[i] = train_ids_[static_cast<size_t>(positions[i])];
  // One parallel region for the whole step where the model allows (data_parallel_step.h); one
  // thread keeps the layer path and its bits.
  if (omp_get_max_threads() > 1 && parallel_step_.fits()) return parallel_step_.run(x_, batch_rows_);
  x_.gather(batch_rows_, batch_);
  const Tensor& out = model_.forward(batch_.view(), Mode::Train);
  const double loss = loss_.compute(out.view(), batch_.view(), &grad_);
  if (std::isfinite(loss)) model_.backward(grad_.view());
  return loss;
}

double DenseRows::validation_loss() { return evaluate_loss(model_, val_.view(), loss_); }

double evaluate_loss(Autoencoder& model, ConstMatrixView x, const Loss& loss) { return evaluate_loss(model, x, x, loss); }

double evaluate_loss(Autoencoder& model, ConstMatrixView input, ConstMatrixView target, const Loss& loss) {
  AEKIT_ASSERT(input.rows == target.rows, "evaluate_loss: ", input.rows, " input rows but ", target.rows,
               " target rows");
  LogitsScope logits(model, loss);
  constexpr int64_t kChunk = 1024;
  double weighted = 0.0;
  for (int64_t r = 0; r < input.rows; r += kChunk) {
    const int64_t n = std::min(kChunk, input.rows - r);
    const Tensor& out = model.forward(ConstMatrixView(input.row(r), n, input.cols), Mode::Infer);
    weighted += loss.compute(out.view(), ConstMatrixView(target.row(r), n, target.cols), nullptr) * static_cast<double>(n);
  }
  return input.rows ? weighted / static_cast<double>(input.rows) : 0.0;
}

}  // namespace aekit
