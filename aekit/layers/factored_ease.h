#pragma once
// EASE's item-item map B (recsys/ease.h) held in factored form, for data with fewer users than
// items (recsys/ease_woodbury.h solves it): Woodbury's identity writes
//   P = (X^T X + Lambda)^-1 = Lambda^-1 - Lambda^-1 X^T M X Lambda^-1,   M = (I + X Lambda^-1 X^T)^-1
// (users x users), and B = I - P diag(1 / P_jj) then is, with A = X^T M X,
//   B = diag(s) A diag(c) - diag(t c),   s_j = 1 / Lambda_j,  t_j = A_jj / Lambda_j,  c_j = 1 / (1 - t_j)
// so a row's scores are  y = c o (((x o s) X^T) M X - t o x),  and the self term t_j x_j cancels
// the i = j part of the product: diag(B) is 0 up to float rounding, and an item without
// interactions (x_j = 0, t_j = 0) has B's row and column exactly 0. The cost of a row is
// 2 nnz(X) + users^2 multiply-adds, against items^2 floats for the dense B.
// Layer kind factored_ease(users=U, interactions=N): items -> items, no parameters (not trained:
// its backward is the transpose map, dx = s o (((dy o c) X^T) M X) - t o c o dy), and buffers
//   interactions  N x 3   (user, item, weight): X's stored entries, indices as exact floats
//   m             U x U   M
//   scale, self, gain     items each: s, t and c (c computed in double: 1 - t may be small)
// A model file's buffers are checked (check_stored) before the layer runs.
#include <aekit/core/csr_matrix.h>
#include <aekit/layers/layer.h>
#include <aekit/layers/layer_registry.h>

#include <cstdint>
#include <span>
#include <vector>

namespace aekit {

// The buffers' names, in the order buffers() lists them (the model file's tensor names end so).
inline constexpr const char* kFactoredEaseBuffers[] = {"interactions", "m", "scale", "self", "gain"};

class FactoredEase final : public Layer {
 public:
  FactoredEase(int64_t items, int64_t users, int64_t interactions);

  std::string kind() const override { return "factored_ease"; }
  int64_t in_features() const override { return items_; }
  int64_t out_features() const override { return items_; }
  int64_t users() const { return m_.rows(); }
  int64_t interaction_count() const { return interactions_.rows(); }
  void forward(ConstMatrixView x, Tensor& y, Mode mode) override;
  void backward(ConstMatrixView dy, Tensor* dx) override;
  std::vector<Param> buffers() override;
  // InputError naming the buffer when an index is outside the users or items, or a value is not
  // finite (or s <= 0, t outside [0, 1), c < 1); then indexes X. Must run after the buffers are
  // written and before forward (the model loader and ease_woodbury run it).
  void check_stored() override;

  // The scores x[rows] B of listed rows of a sparse matrix (items columns): forward without
  // densifying the rows first.
  Tensor scores(const CsrMatrix& x, std::span<const int64_t> rows) const;

  Tensor& interactions() { return interactions_; }
  Tensor& m() { return m_; }
  Tensor& scale() { return scale_; }
  Tensor& self() { return self_; }
  Tensor& gain() { return gain_; }

 private:
  // y = post o (T M X) before the self term, from tt = T^T = ((x o pre) X^T)^T (users x rows).
  void finish(const Tensor& tt, bool transpose, Tensor& y) const;
  void map(ConstMatrixView x, bool transpose, Tensor& y) const;

  int64_t items_;
  Tensor interactions_, m_, scale_, self_, gain_;
  // Derived by check_stored: X by user and by item, with each entry's weight times s_j (forward)
  // and c_j (backward) beside its plain weight, and t_j c_j.
  bool indexed_ = false;
  std::vector<int64_t> user_start_, item_start_;
  std::vector<int32_t> user_items_, item_users_;
  std::vector<float> user_weight_s_, user_weight_c_, item_weight_;
  std::vector<float> self_gain_;
  ConstMatrixView x_;  // the last forward's input, for the shape check of backward
};

// Registry planner and builder: factored_ease(users=U, interactions=N) on a vector input.
LayerPlan plan_factored_ease(const LayerSpec& spec, const Shape& in_shape);
BuiltLayer build_factored_ease(const LayerBuild& b);

}  // namespace aekit
