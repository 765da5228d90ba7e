#pragma once
// An optional capability of a BatchSource (batch_source.h): knowing, without a pass over them,
// that the norm of the gradients it has just left is finite. The seeds' running sums change only
// where a step reached, so SparseRows keeps a bound on them (recsys/sparse_rows.h), and a sampled
// backward's gradients are bounded by the values that went into them (SparseNetwork::
// gradient_bound); a run that does not clip then skips the guard's norm pass (trainer.cpp), a
// seventh of a seed-sae step and 4% of an I-AutoRec one.
// Only for sources without further steps (BatchSource::next_step() always false).
namespace aekit {

class NormVoucher {
 public:
  virtual ~NormVoucher() = default;
  // True only when the norm global_grad_norm would compute is certainly finite.
  virtual bool gradient_norm_known_finite() = 0;
};

}  // namespace aekit
