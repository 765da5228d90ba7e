#pragma once
// The training loop the seeds describe: for each epoch, shuffle, then for each mini-batch (or each
// observation, with batch_size 1) encode, decode, measure the reconstruction error, back-propagate
// and update. Adds what a practitioner expects: a validation split, early stopping (restoring the
// best weights), learning-rate schedules and gradient clipping.
#include <aekit/losses/loss.h>
#include <aekit/models/autoencoder.h>
#include <aekit/train/batch_source.h>
#include <aekit/train/nonfinite.h>
#include <aekit/train/optimizer.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace aekit {

struct TrainConfig {
  int epochs = 10;
  int64_t batch_size = 256;  // 1 = update after every observation
  uint64_t seed = 0;         // shuffling order and validation split
  bool shuffle = true;
  OptimizerConfig optimizer;
  std::string schedule = "constant";  // see LrSchedule::parse
  float clip_norm = 0.0f;             // > 0: clip the global gradient norm, as clip_grad_norm_
  float validation_split = 0.0f;      // fraction held out (see BatchSource::hold_out), seeded
  int patience = 0;                   // > 0: stop after this many epochs without improvement
  float min_delta = 0.0f;             // improvement smaller than this does not count
  // A batch whose objective or gradient norm is not finite: false stops the run (NonFiniteError,
  // see nonfinite.h), true skips it without an update and counts it in TrainResult.
  bool skip_nonfinite = false;

  void validate() const;  // InputError on an invalid value
};

struct BatchReport {
  int epoch;  // 1-based
  int epochs;
  int64_t batch;  // 1-based
  int64_t batches;
  int64_t rows_done;  // training rows seen so far this epoch
  double loss;        // this batch's reconstruction loss
  double penalty;     // this batch's extra loss terms (see Layer::loss_terms), summed
  double seconds_in_epoch;
};

struct EpochReport {
  int epoch;  // 1-based
  int epochs;
  double train_loss;  // reconstruction loss: mean over the epoch's batches, weighted by rows
  // The extra terms of the objective (sparsity, contractive, KL, ...), each a row-weighted mean
  // over the epoch; the objective minimised is train_loss plus their sum. Empty for plain models.
  std::vector<LossTerm> terms;
  double val_loss = std::nan("");
  double seconds;
  double samples_per_second;
  float lr;
  bool best = false;  // best monitored loss so far
};

class TrainObserver {
 public:
  virtual ~TrainObserver() = default;
  virtual void on_batch(const BatchReport&) {}
  virtual void on_epoch(const EpochReport&) {}
};

struct TrainResult {
  std::vector<EpochReport> history;
  int best_epoch = 0;  // the epoch whose weights the model holds at the end
  bool stopped_early = false;
  int64_t skipped_batches = 0;  // with skip_nonfinite: batches not applied (non-finite loss or gradient)
};

// Trains on the batches of `data` (see batch_source.h): the one training loop of aekit.
TrainResult train(BatchSource& data, const TrainConfig& config, TrainObserver* observer = nullptr);

// Trains `model` on the rows of x (already preprocessed) to reconstruct themselves (DenseRows).
TrainResult train(Autoencoder& model, const Tensor& x, const Loss& loss, const TrainConfig& config,
                  TrainObserver* observer = nullptr);

// Mean loss of the model over all rows of x (inference mode, in chunks).
double evaluate_loss(Autoencoder& model, ConstMatrixView x, const Loss& loss);
// The same for reconstructing `target` from `input` (a corrupted copy: the denoising task).
double evaluate_loss(Autoencoder& model, ConstMatrixView input, ConstMatrixView target, const Loss& loss);

}  // namespace aekit
