#include <aekit/recsys/sparse_rows.h>

#include <aekit/core/error.h>
#include <aekit/core/parallel_for.h>
#include <aekit/core/threads.h>
#include <aekit/recsys/input_dropout.h>
#include <aekit/recsys/magnitude_bounds.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace aekit {

namespace {

// The largest |value| over the tensors, infinity when one is NaN.
float largest_of(std::span<const Tensor> tensors) {
  double largest = 0.0;
  for (const Tensor& t : tensors) largest = std::max(largest, largest_magnitude(t.span()));
  return static_cast<float>(largest);
}

}  // namespace

SparseRows::SparseRows(Autoencoder& model, const CsrMatrix& ratings, SparseRowsOptions options)
    : model_(model),
      net_(model),
      options_(options),
      train_(ratings),
      rng_(options.seed ^ 0x5EEDD80Bull),
      refeeding_(model) {
  if (!(options.input_dropout >= 0.0f && options.input_dropout < 1.0f))
    fail("--input-dropout must be in [0, 1), got ", options.input_dropout);
  if (options.refeed < 0 || options.refeed > 100) fail("--refeed must be 0 to 100 steps, got ", options.refeed);
  if (options.refeed > 0 && options.accumulate_gradients)
    fail("--refeed does not combine with the seeds' accumulated gradients (--preset seed-sae)");
  if (ratings.cols() != model.input_size())
    fail("the rating matrix has ", ratings.cols(), " columns but the model's input has ", model.input_size());
  val_ = CsrMatrix::from_entries(ratings.rows(), ratings.cols(), {});
  select_training_rows();
  // Re-feeding's extra steps write the layers' gradients outside the sparse network.
  if (options.refeed == 0) net_.assume_sole_writer();
  constexpr int64_t kTransposedInputs = 8192, kTransposedWeights = int64_t{8192} * 512;
  const int64_t first_weights = model.params().front().value->size();  // the first dense layer's (net_ checked)
  if (options.transposed_first_weight && options.refeed == 0 &&
      (model.input_size() <= kTransposedInputs || first_weights <= kTransposedWeights))
    net_.train_first_weight_transposed();
  // The sums in the layout the optimizer trains (the transposed copy's for the first weight);
  // train_batch adds each backward's gradients into them at once, and nothing else reads those.
  if (options.accumulate_gradients) {
    for (const Param& p : params()) accumulated_.emplace_back(p.grad->shape());
    net_.defer_products_to_sums();
  }
}

std::vector<Param> SparseRows::params() {
  std::vector<Param> params = model_.params();
  net_.substitute_first_weight(params);
  // Before the constructor has made the sums, params() lists the gradients they take the shapes of.
  if (options_.accumulate_gradients && !accumulated_.empty())
    for (size_t i = 0; i < params.size(); ++i) params[i].grad = &accumulated_[i];
  return params;
}

void SparseRows::select_training_rows() {
  train_ids_.clear();
  for (int64_t r = 0; r < train_.rows(); ++r)
    if (train_.row_nnz(r) > 0) train_ids_.push_back(r);
}

bool hold_out_entries(CsrMatrix& train, CsrMatrix& val, float fraction, Rng& rng) {
  std::vector<CsrEntry> entries = train.entries();
  const auto held = static_cast<int64_t>(static_cast<double>(entries.size()) * fraction);
  if (held <= 0) return false;
  shuffle(entries.begin(), entries.end(), rng);
  std::vector<CsrEntry> carved(entries.end() - held, entries.end());
  entries.resize(entries.size() - static_cast<size_t>(held));
  const int64_t rows = train.rows(), cols = train.cols();
  train = CsrMatrix::from_entries(rows, cols, std::move(entries));
  val = CsrMatrix::from_entries(rows, cols, std::move(carved));
  return true;
}

void SparseRows::hold_out(float fraction, Rng& rng) {
  if (hold_out_entries(train_, val_, fraction, rng)) select_training_rows();
}

double SparseRows::train_batch(std::span<const int64_t> positions) {
  refeeds_left_ = 0;
  backward_ran_ = false;
  batch_rows_.resize(positions.size());
  for (size_t i = 0; i < positions.size(); ++i) batch_rows_[i] = train_ids_[static_cast<size_t>(positions[i])];
  const CsrMatrix* input = &train_;
  const CsrMatrix* target = &train_;
  std::span<const int64_t> rows = batch_rows_;
  if (options_.input_dropout > 0.0f) {
    dropped_ = drop_input_ratings(train_, batch_rows_, options_.input_dropout, rng_);
    batch_positions_.resize(batch_rows_.size());
    for (size_t b = 0; b < batch_positions_.size(); ++b) batch_positions_[b] = static_cast<int64_t>(b);
    input = &dropped_.input;
    target = &dropped_.target;
    rows = batch_positions_;
  }
  const double loss =
      options_.refeed > 0 ? dense_output_pass(*input, *target, rows) : sampled_pass(*input, *target, rows);
  // The trainer applies the sums (params() hands them over as the gradients): only the entries
  // this batch reached are added, not a pass over every weight (SparseNetwork::add_gradients_to).
  if (std::isfinite(loss) && options_.accumulate_gradients) {
    if (sums_bound_ < 0.0f) sums_bound_ = largest_of(accumulated_);
    sums_bound_ = std::max(sums_bound_, net_.add_gradients_to(accumulated_));
  }
  return loss;
}

bool SparseRows::gradient_norm_known_finite() {
  if (!options_.accumulate_gradients) return backward_ran_ && net_.norm_known_finite();
  // The sums have the gradients' sizes (one per parameter).
  return sums_bound_ >= 0.0f && net_.bound_proves_norm_finite(sums_bound_);
}

double SparseRows::sampled_pass(const CsrMatrix& input, const CsrMatrix& target, std::span<const int64_t> rows) {
  // The loss's gradient factor is known before the outputs (the batch's counts), so the network
  // computes dL/dh with the outputs (SparseNetwork::forward_for_mse); backward() checks that grad_
  // is what it assumed.
  int64_t samples = 0;
  for (const int64_t r : rows) samples += target.row_nnz(r);
  const float scale =
      masked_mse_scale(options_.normalisation, samples, static_cast<int64_t>(rows.size()), train_.cols());
  const std::span<const float> y = net_.forward_for_mse(input, target, rows, scale);
  grad_.resize(y.size());
  const double loss = masked_mse(y, net_.targets(), options_.normalisation, static_cast<int64_t>(rows.size()),
                                 train_.cols(), grad_);
  backward_ran_ = std::isfinite(loss);
  if (!backward_ran_) return loss;
  // The trainer steps after this batch only if its objective (the loss and the terms, summed as
  // it sums them) is finite: only then may the backward apply the weights' updates itself.
  double objective = loss;
  for (const LossTerm& t : model_.loss_terms()) objective += t.value;
  net_.backward(grad_, std::isfinite(objective));
  return loss;
}

// The same loss and gradients as sampled_pass (tests/recsys/dense_refeeding_test.cpp), from
// every output: the masked loss reads the target's entries of the dense outputs, and its
// gradient is zero elsewhere.
double SparseRows::dense_output_pass(const CsrMatrix& input, const CsrMatrix& target, std::span<const int64_t> rows) {
  const ConstMatrixView y = net_.forward_full(input, rows, Mode::Train);
  gathered_y_.clear();
  gathered_t_.clear();
  for (int64_t b = 0; b < y.rows; ++b) {
    const auto cols = target.row_cols(rows[static_cast<size_t>(b)]);
    const auto vals = target.row_values(rows[static_cast<size_t>(b)]);
    for (size_t k = 0; k < cols.size(); ++k) {
      gathered_y_.push_back(y.row(b)[cols[k]]);
      gathered_t_.push_back(vals[k]);
    }
  }
  grad_.resize(gathered_y_.size());
  const double loss =
      masked_mse(gathered_y_, gathered_t_, options_.normalisation, y.rows, train_.cols(), grad_);
  if (!std::isfinite(loss)) return loss;
  full_grad_.resize({y.rows, y.cols});
  full_grad_.fill(0.0f);
  size_t k = 0;
  for (int64_t b = 0; b < y.rows; ++b)
    for (int32_t c : target.row_cols(rows[static_cast<size_t>(b)])) full_grad_.row(b)[c] = grad_[k++];
  refeeding_.keep(y);
  net_.backward_full(full_grad_.view());
  refeeds_left_ = options_.refeed;
  return loss;
}

void SparseRows::use_row_updates(Optimizer& optimizer) {
  if (options_.accumulate_gradients || options_.refeed > 0) return;
  net_.use_row_updates(&optimizer, params());
}

bool SparseRows::next_step() {
  if (refeeds_left_ == 0) return false;
  --refeeds_left_;
  refeeding_.step();  // a non-finite step shows in the gradients, which the trainer checks
  return true;
}

std::vector<Param> SparseRows::state_tensors() {
  std::vector<Param> state = model_.buffers();
  if (!options_.accumulate_gradients) return state;
  // Named as params() names them: a sum in the transposed copy's layout is "<name>.transposed".
  const std::vector<Param> params = this->params();
  for (size_t i = 0; i < params.size(); ++i) state.push_back({"accumulated." + params[i].name, &accumulated_[i], nullptr});
  return state;
}

std::vector<Rng*> SparseRows::generators() {
  std::vector<Rng*> all = model_.generators();
  // Only when it draws: a checkpoint of a run without input dropout keeps the count it always had.
  if (options_.input_dropout > 0.0f) all.push_back(&rng_);
  return all;
}

double SparseRows::validation_loss() {
  const LoopsOnTeam on_team(num_threads());
  std::vector<int64_t> rows;
  for (int64_t r = 0; r < val_.rows(); ++r)
    if (val_.row_nnz(r) > 0) rows.push_back(r);
  constexpr size_t kChunk = 1024;
  double sum = 0.0;
  for (size_t begin = 0; begin < rows.size(); begin += kChunk) {
    const auto chunk = std::span(rows).subspan(begin, std::min(kChunk, rows.size() - begin));
    const auto y = net_.forward(train_, val_, chunk, Mode::Infer);
    sum += masked_mse(y, net_.targets(), MaskedNormalisation::Rated, 0, 0) * static_cast<double>(y.size());
  }
  return sum / static_cast<double>(val_.nnz());
}

}  // namespace aekit
