#pragma once
// The users of an interaction matrix as a BatchSource for Mult-DAE (Liang et al. 2018): each
// training row's input is the user's interactions scaled to unit norm (row_normalisation.h) with
// input dropout (input_dropout.h: each interaction dropped with probability p, survivors scaled
// by 1 / (1 - p)); the network's outputs are logits over every item, and the loss is the
// multinomial log-likelihood of the whole row (multinomial_loss.h). Validation holds out a seeded
// fraction of the interactions, as SparseRows does for ratings, and ranks them as the evaluation
// does (ranking_metrics.h): each row's remaining interactions are the input, the held-out ones
// the relevant items among those the row has not kept, and the validation loss is
// 1 - NDCG@100 (as Liang et al. select). The mean held-out -log softmax was tried first and ranks
// settings unlike NDCG@100 does (BENCHMARKS.md).
#include <aekit/core/csr_matrix.h>
#include <aekit/core/rng.h>
#include <aekit/models/autoencoder.h>
#include <aekit/recsys/input_dropout.h>
#include <aekit/recsys/sparse_network.h>
#include <aekit/train/batch_source.h>
#include <aekit/train/norm_voucher.h>

#include <cstdint>
#include <vector>

namespace aekit {

struct ImplicitRowsOptions {
  float input_dropout = 0.5f;
  uint64_t seed = 0;  // of the dropout draws
  // Train the first layer's weight as a transposed copy (SparseNetwork::
  // train_first_weight_transposed) when the network allows it and the weight has at most
  // kTransposedWeights values: each input's weights are then one contiguous row of the copy, where
  // the model's layout gathers them with a stride (Mult-VAE's 9,066 x 600 on movielens-small: the
  // first layer's forward and backward took 7 ms of a 64 ms step on one thread, a third of that in
  // the copy's layout). The optimizer's state and a checkpoint take the copy's layout and name
  // ("<name>.transposed"); the trained model is the same, bit for bit.
  bool transposed_first_weight = false;
  // A copy of the weight and one of its gradient: 2 x 64 MB at this size (Mult-VAE 600 on
  // MovieLens-20M's 26,744 items is 16 million).
  static constexpr int64_t kTransposedWeights = int64_t{1} << 24;
};

class ImplicitRows final : public BatchSource, public NormVoucher {
 public:
  // `interactions`: users x items, a stored 1 per interaction (or --low-rating-weight's weight,
  // in the input and the target alike; validation counts the held-out 1s as hits); copied
  // (hold_out splits it).
  ImplicitRows(Autoencoder& model, const CsrMatrix& interactions, ImplicitRowsOptions options = {});

  void hold_out(float fraction, Rng& rng) override;
  int64_t rows() const override { return static_cast<int64_t>(train_ids_.size()); }
  // The optimizer's parameters: the transposed copy in the first weight's place (options).
  std::vector<Param> params() override {
    std::vector<Param> params = model_.params();
    net_.substitute_first_weight(params);
    return params;
  }
  // Writes the transposed first weight back into the model and lets go of the run's optimizer
  // (use_row_updates): a later train() brings its own.
  void end_training() override {
    net_.write_back_first_weight();
    net_.use_row_updates(nullptr, {});
  }
  double train_batch(std::span<const int64_t> positions) override;
  // Its loops and its products (backend/cpu/team_products.h) run on the worker team: a step's 17
  // OpenMP regions each paid a sleeping worker's wake-up.
  bool steps_on_team() const override { return true; }
  // The transposed first weight's update in the backward (SparseNetwork::backward_full), in
  // batches whose loss is finite and whose gradients' bound vouches for their norm: Adam's pass
  // then reads no gradient for the rows no input of the batch reaches (most of Mult-VAE's 9,066
  // at batch 64), and none is written or zeroed.
  void use_row_updates(Optimizer& optimizer) override;
  // True when the last batch's backward ran and SparseNetwork::gradient_bound proves the norm of
  // the gradients it left finite: the trainer then skips the norm's pass over every gradient.
  bool gradient_norm_known_finite() override {
    return backward_ran_ && net_.norm_known_finite();
  }
  std::vector<LossTerm> loss_terms() const override { return model_.loss_terms(); }
  void begin_epoch(int epoch) override { model_.begin_epoch(epoch); }
  void begin_step(int64_t step) override { model_.begin_step(step); }
  // For checkpoints: the model's buffers, and its generators with the input dropout's.
  std::vector<Param> state_tensors() override { return model_.buffers(); }
  std::vector<Rng*> generators() override;
  bool has_validation() const override { return val_.nnz() > 0; }
  double validation_loss() override;
  // The carve hold_out made (users x items, unscaled): the interactions trained on and those held out.
  const CsrMatrix& kept() const { return train_; }
  const CsrMatrix& held_out() const { return val_; }

 private:
  void prepare_rows();

  Autoencoder& model_;
  SparseNetwork net_;
  ImplicitRowsOptions options_;
  CsrMatrix train_, train_input_, val_;  // train_input_: train_ with unit-norm rows
  std::vector<int64_t> train_ids_;       // rows with at least one training interaction
  std::vector<uint8_t> universe_;        // items with an interaction: the ones ranked
  std::vector<int64_t> batch_rows_, batch_positions_;
  Rng rng_;
  DroppedBatch dropped_;
  Tensor grad_;
  bool backward_ran_ = false;  // the last train_batch's backward wrote the gradients
};

}  // namespace aekit
