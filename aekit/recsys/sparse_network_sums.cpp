// SparseNetwork's add of its gradients into running sums (the seeds' accumulated gradients,
// --preset seed-sae): only the entries a sampled backward reached, or, when the backward deferred
// them, the products themselves straight into their sums (defer_products_to_sums).
#include <aekit/core/error.h>
#include <aekit/recsys/gradient_sums.h>
#include <aekit/recsys/sparse_network.h>

namespace aekit {

float SparseNetwork::add_gradients_to(std::span<Tensor> sums) {
  if (params_.empty()) params_ = model_.params();  // once: the list allocates (names, vector)
  const std::vector<Param>& params = params_;
  AEKIT_ASSERT(sums.size() == params.size(), "add_gradients_to: ", sums.size(), " sums for ", params.size(), " parameters");
  const Tensor* first_weight = &first_.weight_grad();
  const Tensor* last_weight = &last_.weight_grad();
  const Tensor* last_bias = &last_.bias_grad();
  const bool deferred = products_deferred_;
  products_added_ = true;
  bool sparse = sampled_backward_ && !deferred;
  for (size_t i = 0; i < model_.layer_count(); ++i) sparse = sparse && !model_.layer(i).adds_to_other_gradients();
  // The distinct columns the sums take: the batch's stored input columns (the first layer's
  // weight) and the sampled outputs' columns (the last layer's rows). The backward recorded both
  // when it tracks what it wrote; otherwise they are collected here, once each.
  if (sparse && !transposed_ && !first_written_known_) {
    collect_batch_cols();
    collect_distinct(batch_cols_);
    first_written_ = distinct_cols_;
  }
  if (sparse && !last_written_known_) {
    collect_distinct(sample_col_);
    last_written_ = distinct_cols_;
  }
  uint32_t largest = 0;  // gradient_sums.h: the largest |sum| written, as the magnitude's bits
  for (size_t i = 0; i < params.size(); ++i) {
    const float* g = params[i].grad->data();
    float* sum = sums[i].data();
    AEKIT_ASSERT(sums[i].size() == params[i].grad->size(), "add_gradients_to: shape of ", params[i].name);
    if (deferred && params[i].grad == first_weight) {
      // The batch's one row: its entries (c, v) give v x dz_first, the run of hidden values at
      // row c of the copy's layout (inputs x hidden) or the column c of the model's.
      const int64_t hidden = first_.out_features();
      const auto cols = input_->row_cols(rows_.front());
      const auto vals = input_->row_values(rows_.front());
      const float* d = dz_first_.data();
      const int64_t row_step = transposed_ ? hidden : 1, unit_step = transposed_ ? 1 : first_.in_features();
      for (size_t k = 0; k < cols.size(); ++k)
        largest = std::max(largest, add_products(sum + cols[k] * row_step, unit_step, vals[k], d, hidden));
    } else if (deferred && params[i].grad == last_weight) {
      // Each sampled output k (a distinct column of the one row): dz[k] x h, the column's row.
      const int64_t width = last_.in_features();
      const float* h = last_in_.row(0);
      for (size_t k = 0; k < sample_col_.size(); ++k)
        largest = std::max(largest, add_products(sum + sample_col_[k] * width, 1, dz_[static_cast<int64_t>(k)], h, width));
    } else if (deferred && params[i].grad == last_bias) {
      // 0 + dz[k]: what the backward's add into its zeroed bias gradient gives (-0 made +0).
      for (size_t k = 0; k < sample_col_.size(); ++k) {
        const float s = sum[sample_col_[k]] + (0.0f + dz_[static_cast<int64_t>(k)]);
        sum[sample_col_[k]] = s;
        largest = std::max(largest, magnitude_bits(s));
      }
    } else if (transposed_ && params[i].grad == first_weight) {
      // Trained transposed, its sum is in the copy's layout (inputs x hidden, SparseRows): the rows
      // of the batch's columns, each a contiguous run of hidden values (the model's layout put
      // every one of them on a cache line of its own), or the whole copy, which holds the
      // gradient everywhere (backward_first zeroes the rows it stops writing).
      const int64_t hidden = first_.out_features();
      if (!sparse) {
        largest = std::max(largest, add_run(sum, grad_t_.data(), grad_t_.size()));
      } else {
        for (const int32_t c : grad_t_rows_)
          largest = std::max(largest, add_run(sum + c * hidden, grad_t_.row(c), hidden));
      }
    } else if (sparse && params[i].grad == first_weight) {
      // hidden x inputs: the columns of the batch's stored input entries, in each unit's row.
      const int64_t in = first_.in_features();
      const int32_t* cols = first_written_.data();
      const auto count = static_cast<int64_t>(first_written_.size());
      for (int64_t j = 0; j < first_.out_features(); ++j)
        largest = std::max(largest, add_at(sum + j * in, g + j * in, cols, count));
    } else if (sparse && (params[i].grad == last_weight || params[i].grad == last_bias)) {
      // outputs x width (or outputs): the rows of the sampled outputs' columns.
      const int64_t width = params[i].grad == last_weight ? last_.in_features() : 1;
      for (const int32_t c : last_written_)
        largest = std::max(largest, add_run(sum + c * width, g + c * width, width));
    } else {
      largest = std::max(largest, add_run(sum, g, params[i].grad->size()));
    }
  }
  return magnitude_of_bits(largest);
}

}  // namespace aekit
