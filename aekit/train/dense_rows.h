#pragma once
// The rows of a dense tensor as a BatchSource: each batch gathers its rows into one contiguous
// block, runs the autoencoder forward, measures the loss against the rows themselves and
// back-propagates. Validation holds out a seeded random subset of whole rows.
#include <aekit/losses/loss.h>
#include <aekit/models/autoencoder.h>
#include <aekit/train/batch_source.h>
#include <aekit/train/data_parallel_step.h>
#include <aekit/data/preprocessed_rows.h>

namespace aekit {

// Sets the model's logits mode to what the loss needs (on for bce_logits) for the lifetime of the
// scope and then restores the previous mode, so scopes nest (validation inside training).
class LogitsScope {
 public:
  LogitsScope(Autoencoder& model, const Loss& loss);
  ~LogitsScope();
  LogitsScope(const LogitsScope&) = delete;
  LogitsScope& operator=(const LogitsScope&) = delete;

 private:
  Autoencoder& model_;
  bool was_on_;
};

class DenseRows final : public BatchSource {
 public:
  // x (already preprocessed) must outlive the source; InputError when its width does not fit.
  DenseRows(Autoencoder& model, const Tensor& x, const Loss& loss);
  // The same for rows that are preprocessed as batches are formed (uint8 data kept as bytes).
  DenseRows(Autoencoder& model, const PreprocessedRows& x, const Loss& loss);

  void hold_out(float fraction, Rng& rng) override;
  int64_t rows() const override { return static_cast<int64_t>(train_ids_.size()); }
  std::vector<Param> params() override { return model_.params(); }
  double train_batch(std::span<const int64_t> positions) override;
  std::vector<LossTerm> loss_terms() const override { return model_.loss_terms(); }
  void begin_epoch(int epoch) override { model_.begin_epoch(epoch); }
  void begin_step(int64_t step) override { model_.begin_step(step); }
  std::vector<Param> state_tensors() override { return model_.buffers(); }
  std::vector<Rng*> generators() override { return model_.generators(); }
  bool has_validation() const override { return val_.rows() > 0; }
  double validation_loss() override;

 private:
  Autoencoder& model_;
  const PreprocessedRows x_;
  const Loss& loss_;
  LogitsScope logits_;
  DataParallelDenseStep parallel_step_;  // with more than one thread, for plain dense chains
  std::vector<int64_t> train_ids_;  // rows of x that train, ascending
  std::vector<int64_t> batch_rows_;  // scratch: rows of x in the current batch
  Tensor val_;                      // the held-out rows
  Tensor batch_, grad_;
};

}  // namespace aekit
