#include <aekit/recsys/sparse_network.h>

#include <aekit/backend/cpu/elementwise.h>
#include <aekit/backend/cpu/gemm.h>
#include <aekit/backend/cpu/transpose.h>
#include <aekit/core/error.h>
#include <aekit/core/parallel_for.h>
#include <aekit/core/threads.h>
#include <aekit/recsys/gathered_products.h>
#include <aekit/recsys/one_row_lane_dots.h>
#include <aekit/recsys/magnitude_bounds.h>
#include <aekit/recsys/panel_products.h>
#include <aekit/recsys/row_fmas.h>
#include <aekit/recsys/sampled_mse_products.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <string_view>
#include <utility>

#include <omp.h>

namespace aekit {

namespace {

// The first layer takes CSR input and the last computes only the rated outputs, so both must be
// dense; a layer list given with --encoder-layers/--decoder-layers may break that.
Dense& dense_at(Autoencoder& model, size_t i) {
  auto* d = dynamic_cast<Dense*>(&model.layer(i));
  if (d == nullptr)
    fail("a recommender's first and last layers must be dense (CSR input, outputs at rated entries), but layer ",
         i, " is ", model.layer(i).kind());
  return *d;
}

// Loops below this many multiply-adds stay on one thread (the seeds' 20-unit network's steps).
constexpr int64_t kParallelWork = int64_t{1} << 16;

// `if (parallel: ...)`, not a bare `if`: on a combined `parallel for simd` a bare if clause also
// applies to the simd part (OpenMP 5.0), and GCC then ran every zeroing below the threshold as a
// scalar loop, a fifth of a seed-sae epoch (perf).
// Below the threshold, no region at all (parallel_for.h: a region of one thread costs a system
// call).
void zero(Tensor& t) {
  float* d = t.data();
  const int64_t n = t.size();
  if (n < kParallelWork * 16) {
    std::fill_n(d, n, 0.0f);
    return;
  }
#pragma omp parallel for simd schedule(static)
  for (int64_t i = 0; i < n; ++i) d[i] = 0.0f;
}

// The gradient Dense::params() names `name`, without building that list (allocations every step).
Tensor& grad_of(Dense& layer, std::string_view name) {
  AEKIT_ASSERT(name == "weight" || name == "bias", "dense layer without ", name);
  return name == "weight" ? layer.weight_grad() : layer.bias_grad();
}

}  // namespace

SparseNetwork::SparseNetwork(Autoencoder& model)
    : model_(model), first_(dense_at(model, 0)), last_(dense_at(model, model.layer_count() - 1)) {
  AEKIT_ASSERT(model.layer_count() >= 2, "a sparse network needs an encoder and a decoder layer");
  middle_out_.resize(model.layer_count());
  for (size_t i = 0; i < model.layer_count(); ++i) others_add_ = others_add_ || model.layer(i).adds_to_other_gradients();
  for (size_t i = 1; i + 1 < model.layer_count(); ++i) {
    if (auto* d = dynamic_cast<Dense*>(&model.layer(i))) d->set_plain_small_products(true);
    for (const Param& p : model.layer(i).params())
      if (p.grad != nullptr) middle_grads_.push_back(p.grad);
  }
  for (const Param& p : model.params()) gradient_count_ += static_cast<double>(p.grad->size());
}

SparseNetwork::~SparseNetwork() {
  for (size_t i = 1; i + 1 < model_.layer_count(); ++i)
    if (auto* d = dynamic_cast<Dense*>(&model_.layer(i))) d->set_plain_small_products(false);
}

namespace {

// Zeroes `grad` (rows x width, row-major) at the columns `cols` of every row, or whole when the
// written entries are not known. Columns are zeroed one element at a time, and past a sixteenth
// of the width the whole tensor goes faster (I-AutoRec's batch of 64 items reaches most of its
// 671 user columns).
void zero_written_columns(Tensor& grad, bool known, std::span<const int32_t> cols) {
  if (!known || static_cast<int64_t>(cols.size()) * 16 > grad.dim(1)) return zero(grad);
  const int64_t rows = grad.dim(0), width = grad.dim(1);
  float* g = grad.data();
  for (int64_t j = 0; j < rows; ++j)
    for (const int32_t c : cols) g[j * width + c] = 0.0f;
}

}  // namespace

ConstMatrixView SparseNetwork::forward_below_last(const CsrMatrix& input, std::span<const int64_t> rows,
                                                  Mode mode) {
  AEKIT_ASSERT(input.cols() == model_.input_size(), "sparse network input shape");
  // The products a backward deferred are read from this pass's values, which a forward replaces.
  AEKIT_ASSERT(!products_deferred_ || products_added_, "a forward before add_gradients_to took the deferred products");
  products_deferred_ = false;
  input_ = &input;
  rows_.assign(rows.begin(), rows.end());
  dh_ready_ = false;
  bound_known_ = false;
  const auto n = static_cast<int64_t>(rows.size());

  // First layer: h = act(x W^T + b) from the stored entries of each row.
  const int64_t hidden = first_.out_features();
  first_out_.resize({n, hidden});  // both orders below write every element
  int64_t batch_entries = 0;
  for (int64_t b = 0; b < n; ++b) batch_entries += input.row_nnz(rows_[static_cast<size_t>(b)]);
  // Two orders of the same sums (the same additions in the same order, so the same bits): with
  // few stored entries in the batch for the inputs (a user's row of thousands of items), each
  // hidden unit gathers its weights at the batch's columns; otherwise panels of units are
  // transposed in cache so that every entry reads a contiguous run of them (panel_products.h).
  // Transposing a 9,066 x 600 weight on every step of a 16-user batch took a quarter of
  // mult-vae's time.
  gathered_ = !transposed_ && !panel_order_pays(batch_entries, first_.in_features());
  // Both give each output value to one thread, which sums it in the serial order: the same bits
  // for any thread count.
  const bool parallel = batch_entries * hidden >= kParallelWork;
  const ConstMatrixView weight(first_.weight().data(), hidden, first_.in_features());
  if (transposed_) {
    transposed_forward(weight_t_.view(), input, rows_, first_out_.view(), parallel);
  } else if (gathered_) {
    gathered_forward(weight, input, rows_, first_out_.view(), parallel);
  } else {
    panel_forward(weight, input, rows_, first_out_.view(), parallel);
  }
  cpu::bias_activation(first_out_.view(), first_.bias().data(), first_.activation());

  ConstMatrixView in = first_out_.view();
  for (size_t i = 1; i + 1 < model_.layer_count(); ++i) {
    model_.layer(i).forward(in, middle_out_[i], mode);
    in = middle_out_[i].view();
  }
  last_in_ = in;
  return in;
}

void SparseNetwork::collect_samples(const CsrMatrix& target) {
  // The target's entries of the batch's rows, row by row, columns ascending.
  const auto n = static_cast<int64_t>(rows_.size());
  sample_row_.clear();
  sample_col_.clear();
  targets_.clear();
  row_sample_start_.assign(static_cast<size_t>(n) + 1, 0);
  for (int64_t b = 0; b < n; ++b) {
    row_sample_start_[static_cast<size_t>(b)] = static_cast<int64_t>(targets_.size());
    const auto cols = target.row_cols(rows_[static_cast<size_t>(b)]);
    const auto vals = target.row_values(rows_[static_cast<size_t>(b)]);
    for (size_t k = 0; k < cols.size(); ++k) {
      sample_row_.push_back(static_cast<int32_t>(b));
      sample_col_.push_back(cols[k]);
      targets_.push_back(vals[k]);
    }
  }
  row_sample_start_[static_cast<size_t>(n)] = static_cast<int64_t>(targets_.size());
  outputs_.resize({1, std::max<int64_t>(static_cast<int64_t>(targets_.size()), 1)});
}

bool SparseNetwork::one_row_of_few_samples() const {
  return rows_.size() == 1 && static_cast<int64_t>(targets_.size()) * last_.in_features() < kParallelWork;
}

std::span<const float> SparseNetwork::sampled_outputs(ConstMatrixView in) {
  // Last layer, sampled: y[k] = act(h[row_k] . W[col_k] + b[col_k]) at the target's entries.
  const auto samples = static_cast<int64_t>(targets_.size());
  const int64_t width = last_.in_features();
  const int32_t* sample_row = sample_row_.data();
  const int32_t* sample_col = sample_col_.data();
  const Tensor& weight = last_.weight();
  const Tensor& bias = last_.bias();
  float* out = outputs_.data();
  if (one_row_of_few_samples()) {
    one_row_lane_dots(in.row(0), weight.view(), bias.data(), sample_col_, out);
  } else {
    parallel_for_if(samples * width >= kParallelWork, samples, [=, &weight, &bias](int64_t k) {
      const float* h = in.row(sample_row[k]);
      out[k] = bias[sample_col[k]] + lane_dot(h, weight.row(sample_col[k]), width);
    });
  }
  cpu::bias_activation(MatrixView{outputs_.data(), 1, samples}, nullptr, last_.activation());
  return {outputs_.data(), static_cast<size_t>(samples)};
}

std::span<const float> SparseNetwork::forward(const CsrMatrix& input, const CsrMatrix& target,
                                              std::span<const int64_t> rows, Mode mode) {
  AEKIT_ASSERT(target.cols() == model_.input_size() && input.rows() == target.rows(), "sparse network shapes");
  const ConstMatrixView in = forward_below_last(input, rows, mode);
  collect_samples(target);
  return sampled_outputs(in);
}

std::span<const float> SparseNetwork::forward_for_mse(const CsrMatrix& input, const CsrMatrix& target,
                                                      std::span<const int64_t> rows, float scale) {
  AEKIT_ASSERT(target.cols() == model_.input_size() && input.rows() == target.rows(), "sparse network shapes");
  const ConstMatrixView in = forward_below_last(input, rows, Mode::Train);
  collect_samples(target);
  // One row of few samples (the seeds' one user a step) has its outputs eight side by side in
  // sampled_outputs, and its backward computes dz and dL/dh as for any other loss.
  if (last_.activation() != Activation::Identity || one_row_of_few_samples()) return sampled_outputs(in);
  const auto samples = static_cast<int64_t>(targets_.size());
  const int64_t width = last_.in_features();
  dz_.resize({1, std::max<int64_t>(samples, 1)});
  dh_.resize({static_cast<int64_t>(rows_.size()), width});
  sampled_mse_products(in, last_.weight().view(), last_.bias().data(), {row_sample_start_, sample_col_, targets_}, scale,
                       outputs_.data(), dz_.data(), dh_.view(), samples * width >= kParallelWork);
  dh_ready_ = true;
  return {outputs_.data(), static_cast<size_t>(samples)};
}

void SparseNetwork::backward(std::span<const float> output_grad, bool may_update_rows) {
  const auto samples = static_cast<int64_t>(targets_.size());
  AEKIT_ASSERT(static_cast<int64_t>(output_grad.size()) == samples, "sparse backward: ", output_grad.size(),
               " gradients for ", samples, " outputs");
  const int64_t width = last_.in_features();
  // One row's products go straight into the sums (defer_products_to_sums); a batch of several may
  // add to an entry more than once, which only its gradient can sum in order.
  products_deferred_ = defer_products_ && rows_.size() == 1 && !others_add_ && first_rows_ == nullptr && last_rows_ == nullptr;
  products_added_ = false;

  // Last layer: gradients reach only the sampled output columns. forward_for_mse computed dz and
  // dL/dh for the gradient it expected; they stand when this is that gradient, bit for bit (an
  // identity output's dz is dL/dy).
  const bool precomputed =
      dh_ready_ && std::memcmp(output_grad.data(), dz_.data(), static_cast<size_t>(samples) * sizeof(float)) == 0;
  dh_ready_ = false;
  if (!precomputed) {
    dz_.resize({1, std::max<int64_t>(samples, 1)});
    cpu::activation_backward(ConstMatrixView(outputs_.data(), 1, samples),
                             ConstMatrixView(output_grad.data(), 1, samples), MatrixView{dz_.data(), 1, samples},
                             last_.activation());
  }
  if (!products_deferred_) {
    Tensor& b_grad = grad_of(last_, "bias");
    b_grad.fill(0.0f);
    for (int64_t k = 0; k < samples; ++k) b_grad[sample_col_[static_cast<size_t>(k)]] += dz_[k];
  }
  // dL/dh, from the weight before any update, unless forward_for_mse computed it.
  if (!precomputed) input_gradient();

  backward_middle(dh_.view());
  // Every value the gradients' bound reads is known now, before either weight's gradient.
  bound_known_ = false;
  rows_updated_ = may_update_rows && (first_rows_ != nullptr || last_rows_ != nullptr) &&
                  bound_proves_norm_finite(gradient_bound_now());
  if (rows_updated_) {
    if (first_rows_ != nullptr) first_rows_->claim();
    if (last_rows_ != nullptr) last_rows_->claim();
  }
  backward_first();
  const bool track = sole_writer_ && !others_add_;
  if (rows_updated_ && last_rows_ != nullptr) {
    // Rows an earlier pass wrote are cleared (the gradient then holds no stale values), once.
    Tensor& w_grad = grad_of(last_, "weight");
    if (!last_written_known_) {
      zero(w_grad);
    } else {
      for (const int32_t c : last_written_) std::fill_n(w_grad.row(c), width, 0.0f);
    }
    last_written_.clear();
    last_written_known_ = track;
    groups_.build(sample_col_, last_.out_features());
    update_weight_rows(*last_rows_, groups_, sample_row_, {dz_.data(), static_cast<size_t>(samples)}, last_in_,
                       last_.out_features() * width >= kParallelWork);
  } else if (!products_deferred_) {
    last_weight_gradient();
  }
  // Loss terms that reach another layer's parameters (layer.h), as Autoencoder::backward does.
  for (size_t i = 0; i < model_.layer_count(); ++i) model_.layer(i).after_backward();
  sampled_backward_ = true;
  full_backward_ = false;
}

void SparseNetwork::input_gradient() {
  const auto samples = static_cast<int64_t>(targets_.size());
  const auto n = static_cast<int64_t>(rows_.size());
  const int64_t width = last_.in_features();
  // Each row's first sample writes its row (an fma onto +0, the bits of adding into a zeroed row)
  // and rows without samples are zeroed (the whole 64 x 500 was zeroed first before, 128 KB a step).
  dh_.resize({n, width});
  for (int64_t b = 0; b < n; ++b)
    if (row_sample_start_[static_cast<size_t>(b)] == row_sample_start_[static_cast<size_t>(b) + 1])
      std::fill_n(dh_.row(b), width, 0.0f);
  // Samples of one row add into the same row of dh, so the threads split the width instead:
  // each runs over every sample for its own columns.
  split_width_if(samples * width >= kParallelWork, width, [&](int64_t j0, int64_t j1) {
    for (int64_t k = 0; k < samples; ++k) {
      const int32_t b = sample_row_[static_cast<size_t>(k)];
      const float g = dz_[k];
      const float* w = last_.weight().row(sample_col_[static_cast<size_t>(k)]);
      float* gh = dh_.row(b);
      // std::fma spelled out: the multiply-adds the vectoriser made of `+= g * w[j]` before.
      if (k == row_sample_start_[static_cast<size_t>(b)]) {
        for (int64_t j = j0; j < j1; ++j) gh[j] = std::fma(g, w[j], 0.0f);
      } else {
        for (int64_t j = j0; j < j1; ++j) gh[j] = std::fma(g, w[j], gh[j]);
      }
    }
  });
}

void SparseNetwork::last_weight_gradient() {
  const auto samples = static_cast<int64_t>(targets_.size());
  const int64_t width = last_.in_features();
  Tensor& w_grad = grad_of(last_, "weight");
  // The first sample of each output column writes its gradient row (an fma onto +0: the bits of
  // adding into a zeroed row), the later ones add; only rows the previous pass wrote and this one
  // does not are zeroed. Zeroing every row the previous pass wrote first was ~800 KB of memset a
  // step at I-AutoRec b64 (hundreds of the 671 rows).
  mark_first_samples();
  if (!last_written_known_) {
    zero(w_grad);
  } else {
    for (const int32_t c : last_written_)
      if (seen_[static_cast<size_t>(c)] == 0) std::fill_n(w_grad.row(c), width, 0.0f);
  }
  for (const int32_t c : distinct_cols_) seen_[static_cast<size_t>(c)] = 0;
  // Samples of one output column add into the same gradient row: the threads split the width.
  split_width_if(samples * width >= kParallelWork, width, [&](int64_t j0, int64_t j1) {
    for (int64_t k = 0; k < samples; ++k) {
      const float g = dz_[k];
      const float* h = last_in_.row(sample_row_[static_cast<size_t>(k)]);
      float* gw = w_grad.row(sample_col_[static_cast<size_t>(k)]);
      if (first_sample_[static_cast<size_t>(k)] != 0) {
        for (int64_t j = j0; j < j1; ++j) gw[j] = std::fma(g, h[j], 0.0f);
      } else {
        for (int64_t j = j0; j < j1; ++j) gw[j] = std::fma(g, h[j], gw[j]);
      }
    }
  });
  const bool track = sole_writer_ && !others_add_;
  if (track) last_written_ = distinct_cols_;  // mark_first_samples' columns
  last_written_known_ = track;
}

void SparseNetwork::mark_first_samples() { mark_firsts(sample_col_, first_sample_); }

void SparseNetwork::mark_firsts(std::span<const int32_t> cols, std::vector<uint8_t>& first) {
  seen_.resize(static_cast<size_t>(model_.input_size()));
  first.assign(cols.size(), 0);
  distinct_cols_.clear();
  for (size_t k = 0; k < cols.size(); ++k) {
    const auto c = static_cast<size_t>(cols[k]);
    if (seen_[c] != 0) continue;
    seen_[c] = 1;
    first[k] = 1;
    distinct_cols_.push_back(cols[k]);
  }
}

void SparseNetwork::collect_distinct(std::span<const int32_t> cols) {
  seen_.resize(static_cast<size_t>(model_.input_size()));
  distinct_cols_.clear();
  for (const int32_t c : cols)
    if (seen_[static_cast<size_t>(c)] == 0) {
      seen_[static_cast<size_t>(c)] = 1;
      distinct_cols_.push_back(c);
    }
  for (const int32_t c : distinct_cols_) seen_[static_cast<size_t>(c)] = 0;
}

void SparseNetwork::collect_batch_cols() {
  batch_cols_.clear();
  for (const int64_t r : rows_) {
    const auto row = input_->row_cols(r);
    batch_cols_.insert(batch_cols_.end(), row.begin(), row.end());
  }
}

bool SparseNetwork::train_first_weight_transposed() {
  if (others_add_) return false;
  const int64_t hidden = first_.out_features(), in = first_.in_features();
  weight_t_.resize({in, hidden});
  cpu::transpose(first_.weight().data(), hidden, in, weight_t_.data(), kParallelWork);
  grad_t_.resize({in, hidden});
  zero(grad_t_);
  grad_t_rows_.clear();
  transposed_ = true;
  return true;
}

void SparseNetwork::substitute_first_weight(std::vector<Param>& params) {
  if (!transposed_) return;
  for (Param& p : params)
    if (p.value == &first_.weight()) {
      p.name += ".transposed";
      p.value = &weight_t_;
      p.grad = &grad_t_;
    }
}

void SparseNetwork::use_row_updates(Optimizer* optimizer, std::span<const Param> params) {
  first_rows_ = last_rows_ = nullptr;
  for (size_t i = 0; optimizer != nullptr && i < params.size(); ++i) {
    if (transposed_ && params[i].value == &weight_t_) first_rows_ = optimizer->row_updates(i);
    if (params[i].value == &last_.weight()) last_rows_ = optimizer->row_updates(i);
  }
}

void SparseNetwork::write_back_first_weight() {
  if (!transposed_) return;
  cpu::transpose(weight_t_.data(), first_.in_features(), first_.out_features(), first_.weight().data(), kParallelWork);
}

double SparseNetwork::gradient_bound() const {
  return sampled_backward_ || full_backward_ ? gradient_bound_now() : std::numeric_limits<double>::infinity();
}

double SparseNetwork::gradient_bound_now() const {
  // Nothing the bound reads changes between the backward that computed it and the next pass.
  if (!bound_known_) {
    bound_ = bound_of_gradients();
    bound_known_ = true;
  }
  return bound_;
}

// The norm global_grad_norm computes (squares summed in double, its square root rounded to float)
// is at most sqrt(count) x the largest magnitude, and finite when that is below FLT_MAX with room
// to spare for the double sum's rounding: the margin of 2 is far more than it needs.
bool SparseNetwork::bound_proves_norm_finite(double bound) const {
  return bound * std::sqrt(gradient_count_) < 0.5 * std::numeric_limits<float>::max();
}

double SparseNetwork::bound_of_gradients() const {
  constexpr double kUnknown = std::numeric_limits<double>::infinity();
  if (others_add_ || input_ == nullptr) return kUnknown;
  // The layers between the first and last are small (Mult-VAE's 600-400 and 200-600): their
  // gradients are read.
  double middle_max = 0.0;
  for (const Tensor* g : middle_grads_) middle_max = std::max(middle_max, largest_magnitude(g->span()));
  const auto rows = static_cast<double>(rows_.size());
  // Every dz of the last layer's column c (sampled: its samples; full: its rows) is in the sum.
  const double dz_sum = sampled_backward_ ? sum_of_magnitudes({dz_.data(), targets_.size()}) : rows * full_dz_largest_;
  const double h_max = largest_magnitude({last_in_.data, static_cast<size_t>(last_in_.size())});
  const double dz_first_max = largest_magnitude(dz_first_.span());
  double input_sum = 0.0;
  for (const int64_t r : rows_) input_sum += sum_of_magnitudes(input_->row_values(r));
  const double bound =
      std::max({dz_sum * std::max(h_max, 1.0), input_sum * dz_first_max, rows * dz_first_max, middle_max});
  return bound == bound ? bound : kUnknown;  // inf x 0 is NaN
}

ConstMatrixView SparseNetwork::forward_full(const CsrMatrix& input, std::span<const int64_t> rows, Mode mode) {
  const ConstMatrixView in = forward_below_last(input, rows, mode);
  last_.forward(in, full_out_, mode);
  return full_out_.view();
}

void SparseNetwork::backward_full(ConstMatrixView output_grad, bool may_update_rows) {
  AEKIT_ASSERT(output_grad.rows == full_out_.dim(0) && output_grad.cols == full_out_.dim(1), "sparse backward_full shape");
  const bool identity_output = last_.activation() == Activation::Identity || last_.emits_logits();
  // The last layer's weight gradient waits for the bound (below) when its rows may be updated
  // instead: Dense::backward's bias and input products first, the same calls.
  const bool fuse_last = may_update_rows && last_rows_ != nullptr && identity_output &&
                         last_.precision() == Precision::Fp32 && !last_.reads_reordered_input() &&
                         !last_.writes_reordered_output();
  const int64_t n = output_grad.rows, out = last_.out_features(), in = last_.in_features();
  if (fuse_last) {
    cpu::column_sums(output_grad, last_.bias_grad().data());
    dh_.resize({n, in});
    cpu::gemm(false, false, n, in, out, 1.0f, output_grad.data, out, last_.weight().data(), in, 0.0f, dh_.data(), in);
  } else {
    last_.backward(output_grad, &dh_);
  }
  // With an identity output dz is the output's gradient, whose largest magnitude bounds the last
  // layer's (bound_of_gradients); other activations' derivatives are not bounded here.
  full_dz_largest_ = identity_output ? largest_magnitude({output_grad.data, static_cast<size_t>(output_grad.size())})
                                     : std::numeric_limits<double>::infinity();
  sampled_backward_ = false;
  full_backward_ = true;
  bound_known_ = false;
  products_deferred_ = false;
  last_written_known_ = false;
  backward_middle(dh_.view());
  const bool fuse_first = transposed_ && first_rows_ != nullptr;
  rows_updated_ = may_update_rows && (fuse_first || fuse_last) && bound_proves_norm_finite(gradient_bound_now());
  if (rows_updated_ && fuse_first) first_rows_->claim();
  if (rows_updated_ && fuse_last) last_rows_->claim();
  backward_first();
  if (fuse_last && rows_updated_) {
    update_dense_weight_rows(*last_rows_, output_grad, last_in_, out * in >= kParallelWork);
  } else if (fuse_last) {
    cpu::gemm(true, false, out, in, n, 1.0f, output_grad.data, out, last_in_.data, in, 0.0f,
              last_.weight_grad().data(), in);
  }
  for (size_t i = 0; i < model_.layer_count(); ++i) model_.layer(i).after_backward();
  first_written_known_ = false;
}

void SparseNetwork::backward_middle(ConstMatrixView dy) {
  const auto n = static_cast<int64_t>(rows_.size());
  Tensor* dx = &dx_a_;
  for (size_t i = model_.layer_count() - 2; i >= 1; --i) {
    model_.layer(i).backward(dy, dx);
    dy = dx->view();
    dx = dx == &dx_a_ ? &dx_b_ : &dx_a_;
  }

  dz_first_.resize({n, first_.out_features()});
  cpu::activation_backward(first_out_.view(), dy, dz_first_.view(), first_.activation());
}

void SparseNetwork::backward_first() {
  if (products_deferred_) {
    // add_gradients_to adds the weight's products into its sum; the gradient keeps what an earlier
    // pass wrote, as recorded (first_written_, grad_t_rows_), for that pass's zeroing.
    cpu::column_sums(dz_first_.view(), grad_of(first_, "bias").data());
    return;
  }
  // First layer: dW from the stored input entries, in the forward's order (see there): scattered
  // into each hidden unit's row, summed in panels and transposed into place, or, trained
  // transposed, added into the copy's rows or grouped by row and handed to the optimizer.
  const auto n = static_cast<int64_t>(rows_.size());
  const int64_t hidden = first_.out_features();
  int64_t batch_entries = 0;
  for (int64_t b = 0; b < n; ++b) batch_entries += input_->row_nnz(rows_[static_cast<size_t>(b)]);
  const bool parallel = batch_entries * hidden >= kParallelWork;
  if (transposed_ && rows_updated_ && first_rows_ != nullptr) {
    // Rows an earlier pass wrote are cleared (the gradient then holds no stale values), once.
    for (const int32_t c : grad_t_rows_) std::fill_n(grad_t_.row(c), hidden, 0.0f);
    grad_t_rows_.clear();
    entry_row_.clear();
    entry_value_.clear();
    batch_cols_.clear();
    for (int64_t b = 0; b < n; ++b) {
      const auto cols = input_->row_cols(rows_[static_cast<size_t>(b)]);
      const auto vals = input_->row_values(rows_[static_cast<size_t>(b)]);
      batch_cols_.insert(batch_cols_.end(), cols.begin(), cols.end());
      entry_value_.insert(entry_value_.end(), vals.begin(), vals.end());
      entry_row_.insert(entry_row_.end(), cols.size(), static_cast<int32_t>(b));
    }
    groups_.build(batch_cols_, first_.in_features());
    update_weight_rows(*first_rows_, groups_, entry_row_, entry_value_, dz_first_.view(),
                       first_.in_features() * hidden >= kParallelWork);
  } else if (transposed_) {
    // The first entry of each of the batch's columns writes its row; the rows the last pass wrote
    // that this one does not are zeroed (zeroing both sets was 1 MB of memset an I-AutoRec step).
    collect_batch_cols();
    mark_firsts(batch_cols_, first_entry_);
    for (const int32_t c : grad_t_rows_)
      if (seen_[static_cast<size_t>(c)] == 0) std::fill_n(grad_t_.row(c), hidden, 0.0f);
    for (const int32_t c : distinct_cols_) seen_[static_cast<size_t>(c)] = 0;
    grad_t_rows_ = distinct_cols_;
    transposed_backward(dz_first_.view(), *input_, rows_, first_entry_, grad_t_.view(), parallel);
  } else if (gathered_) {
    Tensor& w_grad = grad_of(first_, "weight");
    zero_written_columns(w_grad, first_written_known_, first_written_);
    gathered_backward(dz_first_.view(), *input_, rows_, w_grad.view(), parallel);
  } else {
    // Every element written (zeros outside the batch's columns): nothing to zero first.
    panel_backward(dz_first_.view(), *input_, rows_, grad_of(first_, "weight").view(), parallel);
  }
  // What this pass left non-zero in the first layer's weight gradient: the batch's input columns
  // (the panel order writes zeros elsewhere). backward_full forgets it again.
  first_written_known_ = sole_writer_ && !others_add_ && !transposed_;
  if (first_written_known_) {
    collect_batch_cols();
    collect_distinct(batch_cols_);
    first_written_ = distinct_cols_;
  }
  cpu::column_sums(dz_first_.view(), grad_of(first_, "bias").data());
}

}  // namespace aekit
