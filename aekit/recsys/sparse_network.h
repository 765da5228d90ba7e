#pragma once
// An autoencoder run on sparse rows, the way a rating matrix wants it. The first dense layer
// takes CSR input (each row costs its rated entries x hidden, not columns x hidden); the last
// dense layer computes only the outputs the loss reads, the entries of a target CSR matrix (a
// sampled dense-dense product), and back-propagates from them alone. The layers between run as
// usual. An epoch then costs O(ratings x hidden), not O(rows x columns x hidden).
// The weights are the Autoencoder's own, so the trained model is an ordinary autoencoder: its
// dense reconstruct gives the same outputs (tests/recsys/sparse_dense_test.cpp proves the loss
// and every gradient equal to the dense computation's).
#include <aekit/core/csr_matrix.h>
#include <aekit/models/autoencoder.h>
#include <aekit/recsys/fused_row_updates.h>
#include <aekit/train/optimizer.h>

#include <span>
#include <vector>

namespace aekit {

class SparseNetwork {
 public:
  // The dense layers between the first and last run their products as plain loops while this
  // network exists when they are tiny (Dense::set_plain_small_products: the seeds' 20 -> 10 and
  // 10 -> 20 layers at one user a step); the destructor gives them back oneDNN's.
  explicit SparseNetwork(Autoencoder& model);
  ~SparseNetwork();
  SparseNetwork(const SparseNetwork&) = delete;
  SparseNetwork& operator=(const SparseNetwork&) = delete;

  // Runs rows `rows` of `input` through the network and returns the outputs at the stored
  // entries of the same rows of `target` (in CSR order: row by row, columns ascending).
  // input and target have the model's input size as columns; they must outlive backward.
  std::span<const float> forward(const CsrMatrix& input, const CsrMatrix& target,
                                 std::span<const int64_t> rows, Mode mode);
  // forward() in training mode, for a masked squared error whose gradient at output k is
  // scale x (y[k] - target[k]) (masked_mse.h): with an identity output, the outputs' gradients and
  // dL/d(the last layer's input) are computed in the same pass as the outputs, while each sampled
  // weight row is in L1 (sampled_mse_products.h), and backward() keeps them when it is handed
  // exactly those gradients. Other outputs, and one batch row of few products (the seeds' one
  // user a step, whose outputs forward() computes eight side by side): forward().
  std::span<const float> forward_for_mse(const CsrMatrix& input, const CsrMatrix& target,
                                         std::span<const int64_t> rows, float scale);
  // The targets of the last forward, in the same order as its outputs.
  std::span<const float> targets() const { return targets_; }
  // dL/d(output) for each output of the last forward; overwrites every parameter's gradient, or,
  // with `may_update_rows` where use_row_updates allows it, applies the optimizer's update to the
  // large weights itself and leaves the rest's gradients.
  void backward(std::span<const float> output_grad, bool may_update_rows = false);

  // Lets backward() apply the optimizer's coming step to the last layer's weight, and to the
  // first's when it is trained transposed, a row at a time with each row's gradient computed in
  // the update's own loop (fused_row_updates.h) instead of writing their gradients: an I-AutoRec
  // b64 step then stores and reads back 2 x 335,500 fewer gradient values. `params` are the optimizer's,
  // in its order (the transposed copy in the first weight's place); only the optimizers that
  // have RowUpdates (Adam, AdamW) take part. It happens in a backward asked with may_update_rows
  // whose gradient_bound() proves the gradients' norm finite (norm_known_finite: the trainer then
  // skips the norm's pass and steps, which completes the update of the other parameters).
  // A null optimizer stops them (the optimizer's life ends with its run).
  void use_row_updates(Optimizer* optimizer, std::span<const Param> params);
  // Whether the last backward() applied the weights' updates itself (their gradients unwritten).
  bool rows_updated() const { return rows_updated_; }

  // Adds the gradients of the last backward into `sums`, one tensor per parameter of the model
  // (Autoencoder::params() order and shapes; the first weight's in the copy's layout, inputs x
  // hidden, when it is trained transposed): sums[i] += grad[i], element by element. After a
  // sampled backward the first layer's weight gradient is zero outside the input columns the
  // batch stores, and the last layer's weight and bias gradients outside the sampled outputs'
  // columns, so only those entries are added (adding 0 changes nothing): a user's step of the
  // seeds' recommender then costs its ratings x width, not a pass over every weight. Everything
  // is added after backward_full, or when a layer adds to another's gradient (tied, contractive).
  // Returns the largest magnitude among the sums it wrote (infinity when one is NaN): with the
  // sums' earlier bound, a bound on all of them (SparseRows::gradient_norm_known_finite).
  float add_gradients_to(std::span<Tensor> sums);
  // A promise from the caller that it reads the first layer's weight gradient and the last
  // layer's weight and bias gradients only through add_gradients_to, right after each backward
  // (SparseRows with the seeds' accumulated sums). A sampled backward of one batch row then
  // leaves those three unwritten, and add_gradients_to adds each product straight into its sum:
  // the product rounded alone as the gradient would have held it, then added to the same sum, so
  // the same bits, without the gradient rows' writes, zeroing and reloads (after the transposed
  // layout, about half of a seeds' step besides RMSprop's pass, callgrind). Batches of several
  // rows, and layers that add to another's gradient, write the gradients as before.
  void defer_products_to_sums() { defer_products_ = true; }

  // A promise from the caller: between this network's backward passes nothing else writes the
  // first and last layers' gradients (no dense re-feeding, no other pass over the model). The
  // sampled backward then zeroes only the entries its previous pass wrote (the last layer's rows
  // at the sampled columns, the first layer's columns at the input's) instead of both whole
  // gradients: a user's step of the seeds' recommender wrote 2 x 725 KB of zeros (8% of it).
  // Layers that add to another's gradient (tied, contractive) keep the whole zeroing.
  void assume_sole_writer() { sole_writer_ = true; }

  // Trains the first layer's weight as a transposed copy (inputs x hidden) that the forward reads
  // and the backward writes row by row (panel_products.h: transposed_forward/backward), instead of
  // transposing the weight in and its gradient out on every step: those two transposes were a
  // fifth of an I-AutoRec b64 step's time (perf), as memory-bound as the optimizer's own pass.
  // The caller hands the optimizer the copy in the weight's place (substitute_first_weight) and
  // copies it back into the model when training ends (write_back_first_weight); until then the
  // model's weight and its gradient are stale. The optimizer's update is element by element, so
  // the weight it leaves is the same, bit for bit. Refused (false) when a layer adds to another's
  // gradient (tied, contractive: they write the model's own).
  bool train_first_weight_transposed();
  // In `params` (the model's params() order), the first layer's weight becomes the transposed
  // copy and its gradient, named "<name>.transposed" (so that a checkpoint of one layout is not
  // read as the other).
  void substitute_first_weight(std::vector<Param>& params);
  void write_back_first_weight();

  // An upper bound on |every parameter gradient| the last backward() or backward_full() left, from
  // the values that went into them (the last layer's output gradients, the activations, the input
  // ratings), not a pass over the large gradients: the last layer's weight gradient is at most
  // sum|dz| x max|h| (after backward_full, with an identity output, rows x max|dz| stands for
  // sum|dz|), its bias sum|dz|, the first layer's weight sum|input| x max|dz_first| and its bias
  // rows x max|dz_first|; the gradients of the layers between them are read (they are small).
  // Those sums are exact upper bounds in real arithmetic; the float sums exceed them by at most
  // their relative rounding error (far below 2 for any batch). Infinity when a value is NaN or
  // infinite, before any backward, after backward_full with another output activation, or when a
  // layer adds to another's gradient (tied, contractive: those are not bounded here).
  double gradient_bound() const;
  // Whether a bound on every gradient's magnitude proves the norm global_grad_norm computes over
  // the model's gradients (or over sums of them of the same sizes) finite: the trainer may then
  // skip that pass (train/norm_voucher.h).
  bool bound_proves_norm_finite(double bound) const;
  // The same for gradient_bound(): what the sources that train this network vouch with.
  bool norm_known_finite() const { return bound_proves_norm_finite(gradient_bound()); }

  // Every output of rows `rows` of `input` (rows x columns), for a loss that reads them all (the
  // multinomial likelihood's softmax, multinomial_loss.h): the first layer still takes CSR input.
  ConstMatrixView forward_full(const CsrMatrix& input, std::span<const int64_t> rows, Mode mode);
  // dL/d(output) for every output of the last forward_full; overwrites every parameter's gradient,
  // or, with `may_update_rows` where use_row_updates allows it, applies the optimizer's update to
  // the first layer's weight when it is trained transposed (its gradient unwritten) and leaves the
  // rest's gradients.
  void backward_full(ConstMatrixView output_grad, bool may_update_rows = false);

 private:
  Autoencoder& model_;
  Dense& first_;
  Dense& last_;
  const CsrMatrix* input_ = nullptr;
  std::vector<int64_t> rows_;
  std::vector<int32_t> sample_row_, sample_col_;  // batch row and column of each output
  std::vector<float> targets_;
  bool gathered_ = false;         // the first layer gathered its weights instead (see forward)
  bool sampled_backward_ = false;  // the last backward was backward(), not backward_full()
  bool full_backward_ = false;     // the last backward was backward_full()
  double full_dz_largest_ = 0.0;   // its largest |dz| of the last layer (infinity: not bounded)
  std::vector<const Tensor*> middle_grads_;  // the gradients of the layers between the first and last
  double gradient_count_ = 0.0;              // the model's gradient values
  std::vector<uint8_t> seen_;     // per column, while collecting the distinct columns of a batch
  std::vector<int32_t> distinct_cols_;
  std::vector<uint8_t> first_sample_;  // per sample of the last forward, see mark_first_samples
  std::vector<int32_t> batch_cols_;  // the stored input columns of the batch's rows, with repeats
  std::vector<Param> params_;        // model_.params(), taken by the first add_gradients_to
  // With assume_sole_writer: the entries of the two gradients that are not zero, as the columns
  // the last sampled backward wrote (the first layer's columns, the last layer's rows); "known"
  // false: anything may be (the whole gradient is zeroed next time), and add_gradients_to fills
  // them with the batch's columns for its own use.
  bool sole_writer_ = false;
  bool others_add_ = false;  // some layer adds to another's gradient
  std::vector<int32_t> first_written_, last_written_;
  bool first_written_known_ = false, last_written_known_ = false;
  bool defer_products_ = false;    // defer_products_to_sums
  bool products_deferred_ = false;  // the last backward left its products to add_gradients_to
  bool products_added_ = false;     // add_gradients_to has run since that backward
  bool transposed_ = false;       // train_first_weight_transposed
  Tensor weight_t_, grad_t_;      // its copy (inputs x hidden) and gradient
  std::vector<int32_t> grad_t_rows_;  // the rows of grad_t_ the last backward wrote
  std::vector<uint8_t> first_entry_;  // per stored entry of the batch: the first of its column
  Tensor first_out_;              // the first layer's output
  std::vector<Tensor> middle_out_;  // outputs of the layers between first and last
  ConstMatrixView last_in_;
  Tensor outputs_;                // 1 x samples
  Tensor full_out_;               // rows x columns, forward_full's outputs
  Tensor dz_, dh_, dx_a_, dx_b_, dz_first_;
  bool dh_ready_ = false;  // forward_for_mse filled dz_ and dh_ for the gradient it expected
  std::vector<int64_t> row_sample_start_;  // per batch row, its first sample (rows + 1 offsets)
  // use_row_updates: the two weights' RowUpdates (null: not taken), whether the last backward
  // used them, and the batch's entries and samples grouped by weight row.
  RowUpdates* first_rows_ = nullptr;
  RowUpdates* last_rows_ = nullptr;
  bool rows_updated_ = false;
  ColumnGroups groups_;
  std::vector<int32_t> entry_row_;  // per stored entry of the batch: its batch row, and value
  std::vector<float> entry_value_;

  // The target's entries of the batch's rows: sample_row_, sample_col_, targets_, row_sample_start_.
  void collect_samples(const CsrMatrix& target);
  // The sampled last layer's outputs from its input `in` (after collect_samples).
  std::span<const float> sampled_outputs(ConstMatrixView in);
  // The batch is one row whose samples are few: its outputs go eight side by side
  // (one_row_lane_dots).
  bool one_row_of_few_samples() const;
  // dL/d(the last layer's input) into dh_, from dz_ and the sampled weight rows.
  void input_gradient();
  // The first layer (CSR input) and the layers up to the last one's input.
  ConstMatrixView forward_below_last(const CsrMatrix& input, std::span<const int64_t> rows, Mode mode);
  // Per sample, whether it is the first of its output column (first_sample_), and the distinct
  // columns in sample order (distinct_cols_); leaves those columns marked in seen_.
  void mark_first_samples();
  // The same for any list of columns: first[k] for each element of `cols`.
  void mark_firsts(std::span<const int32_t> cols, std::vector<uint8_t>& first);
  // The distinct columns in `cols`, into distinct_cols_.
  void collect_distinct(std::span<const int32_t> cols);
  // The batch's stored input columns, with repeats, into batch_cols_.
  void collect_batch_cols();
  // From dL/d(the last layer's input) through the middle layers to dz_first_.
  void backward_middle(ConstMatrixView dy);
  // The first layer's weight gradient (or its rows' updates) and bias gradient from dz_first_.
  void backward_first();
  // The sampled last layer's weight gradient from dz_ (backward's, unless its rows are updated).
  void last_weight_gradient();
  // gradient_bound() without asking whether a sampled backward ran (backward's own check), kept
  // from the backward's own check for the trainer's (SparseRows::gradient_norm_known_finite): its
  // passes over the batch's activations were ~2% of an I-AutoRec b64 run, twice a step.
  double gradient_bound_now() const;
  double bound_of_gradients() const;
  mutable double bound_ = 0.0;
  mutable bool bound_known_ = false;  // bound_ is the last backward's (reset by every pass)
};

}  // namespace aekit
