#pragma once
// What the training loop iterates over: a set of training rows (the rows of a dense tensor, the
// CSR rows of a rating matrix, ...) and what one batch of them does to the model. The loop in
// trainer.cpp (epochs, shuffling, validation, early stopping, schedules, clipping, progress) is
// written once against this interface; each kind of input implements it in a file of its own
// (dense rows: train/dense_rows.h; ratings: recsys/).
#include <aekit/core/rng.h>
#include <aekit/layers/layer.h>
#include <aekit/train/optimizer.h>

#include <cstdint>
#include <span>
#include <vector>

namespace aekit {

class BatchSource {
 public:
  virtual ~BatchSource() = default;
  // Called once, before the first epoch: holds out `fraction` of the data for validation, drawn
  // with the trainer's generator (so the draw belongs to the seeded run). 0 holds out nothing.
  // What a fraction counts is the source's to say: rows of a tensor, ratings of a matrix.
  virtual void hold_out(float fraction, Rng& rng) = 0;
  // Training rows left after hold_out; the trainer shuffles the positions 0 .. rows() - 1.
  virtual int64_t rows() const = 0;
  // The trainable parameters and their gradients (optimizer, clipping, best-weights snapshot).
  virtual std::vector<Param> params() = 0;
  // Forward, loss and backward on the training rows at `positions`: leaves in every parameter's
  // gradient what the optimizer should apply, and returns the batch's mean loss.
  virtual double train_batch(std::span<const int64_t> positions) = 0;
  // Sources that take more than one optimizer step per batch (DeepRec's dense re-feeding,
  // recsys/dense_refeeding.h) say so here: called after each step of the batch, true when it has
  // left the gradients of another step in the parameters, which the trainer then applies.
  virtual bool next_step() { return false; }
  // The extra objective terms (activity penalties, KL, ...) of the last train_batch; their
  // gradients are already in the parameters' gradients. The trainer reports them beside the loss.
  virtual std::vector<LossTerm> loss_terms() const { return {}; }
  // Called before each epoch with its 0-based index (for scheduled term weights).
  virtual void begin_epoch(int epoch) { (void)epoch; }
  // Called before each train_batch with the 0-based count of batches the run has trained before
  // it, over all epochs (for term weights scheduled per update step). Derived from the loop's
  // position, so a resumed run continues the schedule where it stopped.
  virtual void begin_step(int64_t step) { (void)step; }
  // What a checkpoint saves and restores besides the parameters (checkpoint.h): tensors that are
  // not trained but change in training (BatchNorm's running statistics, accumulated gradients),
  // named, and the random generators the batches draw from (dropout masks, corruption).
  virtual std::vector<Param> state_tensors() { return {}; }
  virtual std::vector<Rng*> generators() { return {}; }
  // Whether hold_out held anything out, and the mean loss on it (inference mode).
  virtual bool has_validation() const = 0;
  virtual double validation_loss() = 0;
  // Called once before the first batch when the run does not clip gradients (clipping needs the
  // whole gradient's norm before any update), with the optimizer built over params() in its order.
  // A source may then apply some parameters' updates itself through Optimizer::row_updates while
  // their gradients are in cache (SparseRows), claiming them only in batches the trainer will
  // step: the loss and its terms finite and, as a NormVoucher, the gradients' norm vouched finite.
  virtual void use_row_updates(Optimizer& optimizer) { (void)optimizer; }
  // Whether the trainer may run each step's loops (train_batch's and the optimizer's, those of
  // core/parallel_for.h) on the worker team at a thread count it picks step by step (StepThreads,
  // core/step_threads.h): true when no value of the step depends on how those loops are split.
  // SparseRows: each of its values is computed by one thread in a fixed order. Products through
  // oneDNN run on the team too, in blocks set by the run's thread count (backend/cpu/
  // team_products.h), so their values do not depend on the step's count either.
  virtual bool steps_on_team() const { return false; }
  // Called when train() returns or throws: a source whose params() trains its own copy of a
  // model tensor in another layout (SparseRows' transposed first weight) writes it back here.
  virtual void end_training() {}
};

}  // namespace aekit
