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
#include <aekit/data/preprocessed_rows.h>

#include <atomic>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <stdexcept>
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

// Where a run stands between two batches: the loop's own state. With the model's parameters and
// state, the optimizer's state and the generators, it is all a checkpoint holds (checkpoint.h).
struct LoopState {
  int epoch = 1;              // the epoch in progress (1-based)
  int64_t batches_done = 0;   // batches of it applied or skipped; 0: not begun (not yet shuffled)
  double loss_sum = 0.0;      // this epoch's row-weighted loss so far
  int64_t rows_trained = 0;
  std::vector<LossTerm> term_sums;
  double best_loss = std::numeric_limits<double>::infinity();  // early stopping
  int epochs_without_improvement = 0;
  std::vector<Tensor> best_weights;  // with patience: the parameters of the best epoch
  TrainResult result;                // the finished epochs
};

// What a checkpoint writer reads at a batch or epoch boundary.
struct TrainingMoment {
  const LoopState& loop;
  BatchSource& data;
  Optimizer& optimizer;
  const Rng& rng;  // the loop's generator (shuffling), after the epoch's shuffle when it has begun
};

// Checkpoints and interruption (checkpoint.h builds one from the options; empty: neither).
struct TrainControl {
  int every_epochs = 0;        // > 0: save after every this many epochs
  int64_t every_batches = 0;   // > 0: save after every this many batches, counted over the run
  std::function<void(const TrainingMoment&)> save;
  // Restores a saved moment into the freshly built run: the loop's state, parameters, optimizer,
  // generators, and the loop's generator and order (given as the seed and the validation split
  // left them; see replay_shuffles).
  std::function<void(LoopState&, BatchSource&, Optimizer&, Rng&, std::vector<int64_t>& order)> resume;
  // Set (to the signal's number) from a signal handler: the run saves after the current batch
  // and stops with TrainingInterrupted.
  const std::atomic<int>* stop = nullptr;
};

// Training stopped on request (TrainControl::stop) after saving a checkpoint.
class TrainingInterrupted : public std::runtime_error {
 public:
  TrainingInterrupted(const std::string& message, int signal) : std::runtime_error(message), signal_(signal) {}
  int signal() const { return signal_; }

 private:
  int signal_;
};

// Trains on the batches of `data` (see batch_source.h): the one training loop of aekit.
TrainResult train(BatchSource& data, const TrainConfig& config, TrainObserver* observer = nullptr,
                  const TrainControl& control = {});

// The shuffle at the start of an epoch (none unless config.shuffle): the loop and a resumed run's
// replay of the earlier epochs draw the same numbers in the same order.
void shuffle_for_epoch(std::vector<int64_t>& order, Rng& rng, const TrainConfig& config);
// Brings a fresh run's order and generator to `loop`'s moment by repeating the shuffles before it
// (the order is not stored in a checkpoint: it follows from the seed).
void replay_shuffles(std::vector<int64_t>& order, Rng& rng, const LoopState& loop, const TrainConfig& config);

// Trains `model` on the rows of x (already preprocessed) to reconstruct themselves (DenseRows).
TrainResult train(Autoencoder& model, const Tensor& x, const Loss& loss, const TrainConfig& config,
                  TrainObserver* observer = nullptr, const TrainControl& control = {});
TrainResult train(Autoencoder& model, const PreprocessedRows& x, const Loss& loss, const TrainConfig& config,
                  TrainObserver* observer = nullptr, const TrainControl& control = {});

// Mean loss of the model over all rows of x (inference mode, in chunks).
double evaluate_loss(Autoencoder& model, ConstMatrixView x, const Loss& loss);
// The same for reconstructing `target` from `input` (a corrupted copy: the denoising task).
double evaluate_loss(Autoencoder& model, ConstMatrixView input, ConstMatrixView target, const Loss& loss);

}  // namespace aekit
