#pragma once
// The rows of a rating matrix as a BatchSource: each row (a user's ratings for user-based models,
// an item's for item-based ones) is both the input and the target, and the loss counts rated
// entries only (masked_mse.h), computed through SparseNetwork. Validation holds out a seeded
// fraction of the stored ratings: a held-out rating is the target, the row's remaining ratings
// the input, as at test time. Rows without a training rating are skipped, as the seeds do.
#include <aekit/core/csr_matrix.h>
#include <aekit/core/rng.h>
#include <aekit/recsys/dense_refeeding.h>
#include <aekit/recsys/input_dropout.h>
#include <aekit/recsys/masked_mse.h>
#include <aekit/recsys/sparse_network.h>
#include <aekit/train/batch_source.h>
#include <aekit/train/norm_voucher.h>

namespace aekit {

struct SparseRowsOptions {
  MaskedNormalisation normalisation = MaskedNormalisation::Rated;
  // Never zero the gradients: each step applies the sum of every gradient so far. This is what
  // the seeds' loop does (it never calls zero_grad()); only --preset seed-sae asks for it.
  bool accumulate_gradients = false;
  // Denoising (input_dropout.h): each input rating of a training row is dropped with this
  // probability while the loss still covers every rating of the row; 0 is the plain path.
  float input_dropout = 0.0f;
  uint64_t seed = 0;  // of the dropout draws
  // DeepRec's dense re-feeding (dense_refeeding.h): after each batch's update, this many further
  // updates on the network's dense outputs. The batch's pass then computes every output (the
  // last layer dense, not sampled) to have them; the loss it reports is the sparse pass's.
  int refeed = 0;
  // Train the first layer's weight transposed (SparseNetwork::train_first_weight_transposed) when
  // the network allows it and the copy is small: not with refeed (its dense passes read the
  // model's weight), and for up to 8,192 inputs, or more when the copy has at most as many
  // weights as 8,192 x 512 (a copy of the weight and one of its gradient: 2.7 MB for I-AutoRec's
  // 671 users; the scale run's 138,493 x 500 would add 550 MB to its 3.2 GiB; the seeds' 9,066
  // items x 20 of movielens-small 1.5 MB). With accumulate_gradients the first weight's sum and
  // the optimizer's state for it take the copy's layout too (named "<name>.transposed", so that
  // a checkpoint of one layout is not read as the other).
  bool transposed_first_weight = false;
};

// Moves a seeded `fraction` of the stored entries of `train` into `val` (same shape), drawn with
// `rng`; false (nothing moved) when the fraction holds no entry. The validation carve of
// SparseRows and ImplicitRows.
bool hold_out_entries(CsrMatrix& train, CsrMatrix& val, float fraction, Rng& rng);

class SparseRows final : public BatchSource, public NormVoucher {
 public:
  // `ratings` has the model's input size as columns; it is copied (hold_out splits it).
  SparseRows(Autoencoder& model, const CsrMatrix& ratings, SparseRowsOptions options = {});

  void hold_out(float fraction, Rng& rng) override;
  int64_t rows() const override { return static_cast<int64_t>(train_ids_.size()); }
  // With accumulate_gradients, each parameter's gradient is its running sum (what every step
  // applies); otherwise the model's own gradients.
  std::vector<Param> params() override;
  double train_batch(std::span<const int64_t> positions) override;
  // Not with dense re-feeding (deeprec): its steps are mostly oneDNN's products over every output,
  // in OpenMP regions, and team loops between them gained nothing measurable (deeprec's epochs
  // 1,644-1,912 samples/s on the team against 1,769-1,815 without, alternating, 14:40 UTC).
  bool steps_on_team() const override { return options_.refeed == 0; }
  // Penalty layers between the first and last (activity, sparsity) report their terms as usual.
  std::vector<LossTerm> loss_terms() const override { return model_.loss_terms(); }
  void begin_epoch(int epoch) override { model_.begin_epoch(epoch); }
  void begin_step(int64_t step) override { model_.begin_step(step); }
  // The model's buffers and, with accumulate_gradients, the gradient sums ("accumulated.<name>").
  std::vector<Param> state_tensors() override;
  // The model's generators and, with input dropout, the generator of its draws.
  std::vector<Rng*> generators() override;
  bool next_step() override;
  // The weights' updates in the backward (SparseNetwork::use_row_updates), in batches whose loss
  // and terms are finite and whose gradients' bound vouches for their norm, as the trainer
  // decides: not with accumulated sums (a step applies the sums, not the batch's gradient) or
  // dense re-feeding (further steps per batch).
  void use_row_updates(Optimizer& optimizer) override;
  // With accumulate_gradients: true while a bound on the sums' magnitudes (kept from the entries
  // each step writes) proves their norm finite, so the trainer can skip the norm's pass. Without
  // it: true when the last batch's sampled backward ran and SparseNetwork::gradient_bound proves
  // the norm of the gradients it left finite (never after a dense re-feeding pass).
  bool gradient_norm_known_finite() override;
  bool has_validation() const override { return val_.nnz() > 0; }
  // Mean squared error over the held-out ratings (its square root is the validation RMSE).
  double validation_loss() override;
  // Writes the transposed first weight back into the model (SparseRowsOptions) and lets go of
  // the run's optimizer (use_row_updates): a later train() brings its own.
  void end_training() override {
    net_.write_back_first_weight();
    net_.use_row_updates(nullptr, {});
  }

  const CsrMatrix& train_ratings() const { return train_; }
  const CsrMatrix& validation_ratings() const { return val_; }

 private:
  void select_training_rows();
  // The batch's pass: outputs at the target's entries only, or (re-feeding) every output.
  double sampled_pass(const CsrMatrix& input, const CsrMatrix& target, std::span<const int64_t> rows);
  double dense_output_pass(const CsrMatrix& input, const CsrMatrix& target, std::span<const int64_t> rows);

  Autoencoder& model_;
  SparseNetwork net_;
  SparseRowsOptions options_;
  CsrMatrix train_, val_;
  std::vector<int64_t> train_ids_;  // rows with at least one training rating
  std::vector<int64_t> batch_rows_;
  Rng rng_;
  DroppedBatch dropped_;                  // the corrupted batch and its targets (input dropout)
  std::vector<int64_t> batch_positions_;  // 0 .. batch size - 1
  std::vector<float> grad_;
  bool backward_ran_ = false;  // the last train_batch's sampled backward wrote the gradients
  std::vector<Tensor> accumulated_;  // with accumulate_gradients: the sums, one per parameter
  // The largest |sum| there is (an upper bound: entries only ever grow it), infinity once one is
  // not finite; negative until first computed (after a checkpoint may have restored the sums).
  float sums_bound_ = -1.0f;
  DenseRefeeding refeeding_;
  int refeeds_left_ = 0;
  std::vector<float> gathered_y_, gathered_t_;
  Tensor full_grad_;
};

}  // namespace aekit
