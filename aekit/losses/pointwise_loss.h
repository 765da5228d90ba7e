#pragma once
// The losses that are a mean of one term per element. Each supplies value(y, t) and
// derivative(y, t); PointwiseLoss does the reduction and the 1/N scaling in one pass.
#include <aekit/core/activation.h>
#include <aekit/losses/loss.h>

#include <algorithm>
#include <cmath>

namespace aekit {

// A loss whose terms and gradient of each row depend on that row alone, computed a block of rows
// at a time on the calling thread: a step that splits the batch between threads
// (train/data_parallel_step.h) has each thread take its own rows.
class RowSeparableLoss : public Loss {
 public:
  // For the rows of y: row_sums[r] = the row's terms summed (in float, in column order), and,
  // when grad is not null, grad (y's shape, row-major) = scale * dL/dy per element; scale is
  // 1 / (the elements of the whole batch) for the batch's mean.
  virtual void rows_serial(ConstMatrixView y, ConstMatrixView t, float scale, float* grad,
                           double* row_sums) const = 0;
  // The same with the gradient taken on through the output activation `act` (y its output):
  // dz = (scale * dL/dy) * act'(y), the floats rows_serial and then
  // cpu::activation_backward_serial give, in one pass with no dL/dy written.
  virtual void rows_serial_through(ConstMatrixView y, ConstMatrixView t, float scale, Activation act, float* dz,
                                   double* row_sums) const = 0;
};

template <typename Term>
class PointwiseLoss : public RowSeparableLoss {
 public:
  double compute(ConstMatrixView y, ConstMatrixView t, Tensor* grad) const override;
  void rows_serial(ConstMatrixView y, ConstMatrixView t, float scale, float* grad, double* row_sums) const override;
  void rows_serial_through(ConstMatrixView y, ConstMatrixView t, float scale, Activation act, float* dz,
                           double* row_sums) const override;
};

struct MseTerm {
  static float value(float y, float t) { return (y - t) * (y - t); }
  static float derivative(float y, float t) { return 2.0f * (y - t); }
};
struct L1Term {
  static float value(float y, float t) { return std::fabs(y - t); }
  static float derivative(float y, float t) { return y > t ? 1.0f : (y < t ? -1.0f : 0.0f); }
};
struct BceTerm {
  static float value(float y, float t) {
    float log_y = std::max(std::log(y), -100.0f);
    float log_1my = std::max(std::log1p(-y), -100.0f);
    return -(t * log_y + (1.0f - t) * log_1my);
  }
  // PyTorch's BCELoss backward: (y - t) / max((1 - y) y, eps) with eps = 1e-12.
  static float derivative(float y, float t) {
    return (y - t) / std::max((1.0f - y) * y, 1e-12f);
  }
};
struct BceLogitsTerm {
  static float value(float z, float t) {
    return std::max(z, 0.0f) - z * t + std::log1p(std::exp(-std::fabs(z)));
  }
  static float derivative(float z, float t) { return 1.0f / (1.0f + std::exp(-z)) - t; }
};

class MseLoss final : public PointwiseLoss<MseTerm> {
 public:
  std::string name() const override { return "mse"; }
};
class L1Loss final : public PointwiseLoss<L1Term> {
 public:
  std::string name() const override { return "l1"; }
};
class BceLoss final : public PointwiseLoss<BceTerm> {
 public:
  std::string name() const override { return "bce"; }
};
class BceLogitsLoss final : public PointwiseLoss<BceLogitsTerm> {
 public:
  std::string name() const override { return "bce_logits"; }
  bool takes_logits() const override { return true; }
};

}  // namespace aekit
