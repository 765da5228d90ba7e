#include <aekit/layers/factored_ease.h>

#include <aekit/backend/cpu/gemm.h>
#include <aekit/backend/cpu/transpose.h>
#include <aekit/core/checked_size.h>
#include <aekit/core/error.h>

#include <algorithm>
#include <cmath>

namespace aekit {

namespace {

// Users and items travel as float32 indices: exact up to 2^24.
constexpr int64_t kMaxIndex = int64_t{1} << 24;

bool index_in(float v, int64_t count) { return v >= 0 && v < static_cast<float>(count) && v == std::floor(v); }

}  // namespace

FactoredEase::FactoredEase(int64_t items, int64_t users, int64_t interactions)
    : items_(items),
      interactions_({interactions, 3}),
      m_({users, users}),
      scale_({items}),
      self_({items}),
      gain_({items}) {
  AEKIT_ASSERT(items > 0 && users > 0 && interactions > 0, "factored_ease sizes must be positive");
}

std::vector<Param> FactoredEase::buffers() {
  const auto& name = kFactoredEaseBuffers;
  return {{name[0], &interactions_, nullptr},
          {name[1], &m_, nullptr},
          {name[2], &scale_, nullptr},
          {name[3], &self_, nullptr},
          {name[4], &gain_, nullptr}};
}

void FactoredEase::check_stored() {
  indexed_ = false;
  const int64_t users = m_.rows(), n = interactions_.rows();
  for (int64_t k = 0; k < n; ++k) {
    const float* e = interactions_.row(k);
    if (!index_in(e[0], users) || !index_in(e[1], items_) || !std::isfinite(e[2]))
      fail("layer factored_ease: interaction ", k, " (", e[0], ", ", e[1], ", ", e[2], ") is not a user of ", users,
           ", an item of ", items_, " and a finite weight");
  }
  for (int64_t k = 0; k < m_.size(); ++k)
    if (!std::isfinite(m_[k])) fail("layer factored_ease: m holds a value that is not finite");
  for (int64_t j = 0; j < items_; ++j)
    if (!(std::isfinite(scale_[j]) && scale_[j] > 0) || !(self_[j] >= 0 && self_[j] < 1) ||
        !(std::isfinite(gain_[j]) && gain_[j] >= 1))
      fail("layer factored_ease: item ", j, " has scale ", scale_[j], ", self ", self_[j], ", gain ", gain_[j],
           " (they must be > 0, in [0, 1) and >= 1, finite)");

  // X by user and by item (counting sort: the stored order does not matter).
  user_start_.assign(static_cast<size_t>(users + 1), 0);
  item_start_.assign(static_cast<size_t>(items_ + 1), 0);
  for (int64_t k = 0; k < n; ++k) {
    ++user_start_[static_cast<size_t>(interactions_.row(k)[0]) + 1];
    ++item_start_[static_cast<size_t>(interactions_.row(k)[1]) + 1];
  }
  for (size_t u = 0; u + 1 < user_start_.size(); ++u) user_start_[u + 1] += user_start_[u];
  for (size_t j = 0; j + 1 < item_start_.size(); ++j) item_start_[j + 1] += item_start_[j];
  user_items_.resize(static_cast<size_t>(n));
  user_weight_s_.resize(static_cast<size_t>(n));
  user_weight_c_.resize(static_cast<size_t>(n));
  item_users_.resize(static_cast<size_t>(n));
  item_weight_.resize(static_cast<size_t>(n));
  std::vector<int64_t> next_user(user_start_.begin(), user_start_.end() - 1);
  std::vector<int64_t> next_item(item_start_.begin(), item_start_.end() - 1);
  for (int64_t k = 0; k < n; ++k) {
    const auto u = static_cast<int64_t>(interactions_.row(k)[0]);
    const auto j = static_cast<int64_t>(interactions_.row(k)[1]);
    const float w = interactions_.row(k)[2];
    const auto a = static_cast<size_t>(next_user[static_cast<size_t>(u)]++);
    user_items_[a] = static_cast<int32_t>(j);
    user_weight_s_[a] = w * scale_[j];
    user_weight_c_[a] = w * gain_[j];
    const auto b = static_cast<size_t>(next_item[static_cast<size_t>(j)]++);
    item_users_[b] = static_cast<int32_t>(u);
    item_weight_[b] = w;
  }
  self_gain_.resize(static_cast<size_t>(items_));
  for (int64_t j = 0; j < items_; ++j) self_gain_[static_cast<size_t>(j)] = self_[j] * gain_[j];
  indexed_ = true;
}

// The products run with the batch's rows as the inner, contiguous dimension (every stored entry of
// X is one row-length multiply-add, which vectorises): the caller fills tt = ((x o pre) X^T)^T
// (users x rows); this writes y = post o (M tt)^T X, items columns, before the self term.
void FactoredEase::finish(const Tensor& tt, bool transpose, Tensor& y) const {
  const int64_t rows = tt.cols(), users = m_.rows();
  y.resize({rows, items_});
  if (rows == 0) return;
  Tensor vt({users, rows}), wt({items_, rows});
  // M is symmetric: (t M)^T = M tt.
  cpu::gemm(false, false, users, rows, users, 1.0f, m_.data(), users, tt.data(), rows, 0.0f, vt.data(), rows);
  const Tensor& post = transpose ? scale_ : gain_;
#pragma omp parallel for schedule(dynamic, 64)
  for (int64_t j = 0; j < items_; ++j) {
    float* out = wt.row(j);
    for (auto e = static_cast<size_t>(item_start_[static_cast<size_t>(j)]);
         e < static_cast<size_t>(item_start_[static_cast<size_t>(j) + 1]); ++e) {
      const float w = item_weight_[e] * post[j];
      const float* v = vt.row(item_users_[e]);
      for (int64_t r = 0; r < rows; ++r) out[r] += w * v[r];
    }
  }
  cpu::transpose(wt.data(), items_, rows, y.data(), 1 << 16);
}

void FactoredEase::map(ConstMatrixView x, bool transpose, Tensor& y) const {
  // Built from a spec alone (--encoder-layers), the layer has no map to run.
  if (!indexed_)
    fail("layer factored_ease holds the item map of a solved EASE (aekit train --model ease writes it); it is not "
         "built from a layer spec or trained");
  AEKIT_ASSERT(x.cols == items_, "factored_ease input has ", x.cols, " columns for ", items_, " items");
  const int64_t rows = x.rows, users = m_.rows();
  const std::vector<float>& weight = transpose ? user_weight_c_ : user_weight_s_;
  Tensor xt({items_, rows}), tt({users, rows});
  if (rows > 0) cpu::transpose(x.data, rows, items_, xt.data(), 1 << 16);
#pragma omp parallel for schedule(dynamic, 16)
  for (int64_t u = 0; u < users; ++u) {
    float* out = tt.row(u);
    for (auto e = static_cast<size_t>(user_start_[static_cast<size_t>(u)]);
         e < static_cast<size_t>(user_start_[static_cast<size_t>(u) + 1]); ++e) {
      const float w = weight[e];
      const float* in = xt.row(user_items_[e]);
      for (int64_t r = 0; r < rows; ++r) out[r] += w * in[r];
    }
  }
  finish(tt, transpose, y);
#pragma omp parallel for schedule(static)
  for (int64_t r = 0; r < rows; ++r) {
    const float* in = x.row(r);
    float* out = y.row(r);
    for (int64_t j = 0; j < items_; ++j) out[j] -= self_gain_[static_cast<size_t>(j)] * in[j];
  }
}

Tensor FactoredEase::scores(const CsrMatrix& x, std::span<const int64_t> rows) const {
  AEKIT_ASSERT(indexed_, "factored_ease runs before check_stored");
  AEKIT_ASSERT(x.cols() == items_, "factored_ease scores ", x.cols(), " columns for ", items_, " items");
  const auto count = static_cast<int64_t>(rows.size());
  const int64_t users = m_.rows();
  Tensor t({count, users}), tt({users, count}), y;
  // Row k of t: row k's entries through X^T, by item.
#pragma omp parallel for schedule(dynamic, 8)
  for (int64_t k = 0; k < count; ++k) {
    const auto cols = x.row_cols(rows[static_cast<size_t>(k)]);
    const auto vals = x.row_values(rows[static_cast<size_t>(k)]);
    float* out = t.row(k);
    for (size_t a = 0; a < cols.size(); ++a) {
      const auto j = static_cast<size_t>(cols[a]);
      const float v = vals[a] * scale_[static_cast<int64_t>(j)];
      for (auto e = static_cast<size_t>(item_start_[j]); e < static_cast<size_t>(item_start_[j + 1]); ++e)
        out[item_users_[e]] += v * item_weight_[e];
    }
  }
  if (count > 0) cpu::transpose(t.data(), count, users, tt.data(), 1 << 16);
  finish(tt, false, y);
  for (int64_t k = 0; k < count; ++k) {
    const auto cols = x.row_cols(rows[static_cast<size_t>(k)]);
    const auto vals = x.row_values(rows[static_cast<size_t>(k)]);
    float* out = y.row(k);
    for (size_t a = 0; a < cols.size(); ++a) out[cols[a]] -= self_gain_[static_cast<size_t>(cols[a])] * vals[a];
  }
  return y;
}

void FactoredEase::forward(ConstMatrixView x, Tensor& y, Mode) {
  map(x, false, y);
  x_ = x;
}

void FactoredEase::backward(ConstMatrixView dy, Tensor* dx) {
  AEKIT_ASSERT(dy.rows == x_.rows && dy.cols == items_, "factored_ease backward: gradient shape does not match");
  if (dx) map(dy, true, *dx);
}

LayerPlan plan_factored_ease(const LayerSpec& spec, const Shape& in_shape) {
  spec.check_options({"users", "interactions"});
  if (in_shape.size() != 1) fail("layer factored_ease takes a vector of items, not ", shape_string(in_shape));
  const int64_t items = in_shape[0];
  const int64_t users = spec.integer("users"), n = spec.integer("interactions");
  if (items > kMaxIndex || users <= 0 || users > kMaxIndex)
    fail("layer factored_ease: users and items must be in [1, 2^24], got ", users, " and ", items);
  const Shape m{users, users}, x{n, 3};
  if (n <= 0 || !checked_product(m) || !checked_product(x))
    fail("layer factored_ease: ", users, " users and ", n, " interactions are more than it can hold");
  const auto& name = kFactoredEaseBuffers;
  return {{items}, {}, {{name[0], x}, {name[1], m}, {name[2], {items}}, {name[3], {items}}, {name[4], {items}}}};
}

BuiltLayer build_factored_ease(const LayerBuild& b) {
  const LayerPlan plan = plan_factored_ease(b.spec, b.in_shape);
  return {std::make_unique<FactoredEase>(b.in_shape[0], plan.buffers[1].second[0], plan.buffers[0].second[0]),
          plan.out_shape};
}

}  // namespace aekit
