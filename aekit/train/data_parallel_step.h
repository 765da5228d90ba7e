#pragma once
// A training step for a plain chain of dense layers with the batch split between the threads, in
// ONE parallel region. The layer-by-layer path (Autoencoder::forward/backward) runs each product
// and each element-wise pass on all threads: about eight regions a step for the seeds' MNIST
// model, each a futex wake-up and a barrier with passive waiting, which made a 2-thread epoch at
// batch 256 slower than a 1-thread one. Here:
//   1. each thread gathers its own contiguous block of the batch's rows and runs the forward, the
//      loss and the backward of the data gradients on them with one-thread products: rows are
//      independent, so no thread waits for another between layers;
//   2. one barrier: every row's dz of every layer is now written;
//   3. each thread computes its own block of rows of every weight gradient (dW = dz^T x over all
//      rows of the batch, its share of the layer's outputs) and of the bias gradient (column sums
//      in row order, as column_sums). No partial sums to add, no second barrier.
// With bf16 products one more barrier comes first: the threads round the weights to bf16 between
// them. Results depend on the thread count only (fixed blocks, fixed orders); the loss is summed
// per row in row order as PointwiseLoss does, so the reported loss has the layer path's bits.
// The optimizer keeps its own single region (optimizers/parallel.h): the trainer checks the
// gradients between the two.
//
// Used by DenseRows when the model is a chain of dense layers only and the loss is row-separable
// (every pointwise loss) and more than one thread runs; any other model keeps the layer path, and
// one thread always does (its bits stay those of every earlier release).
#include <aekit/backend/cpu/bf16.h>
#include <aekit/core/tensor.h>
#include <aekit/data/preprocessed_rows.h>
#include <aekit/layers/dense.h>
#include <aekit/losses/loss.h>
#include <aekit/models/autoencoder.h>

#include <cstdint>
#include <span>
#include <vector>

namespace aekit {

class RowSeparableLoss;

class DataParallelDenseStep {
 public:
  // Looks at the model's layers and the loss once; see fits().
  DataParallelDenseStep(Autoencoder& model, const Loss& loss);

  // True when the model is a chain of dense layers that reorder no features and the loss is
  // row-separable: run() can then train it.
  bool fits() const { return loss_ != nullptr; }

  // One training step on rows `ids` of x (the target is the input): every parameter's gradient
  // written, as Autoencoder::backward writes them; returns the mean loss as Loss::compute.
  // The model's own activations (Autoencoder::forward's outputs) are not touched.
  double run(const PreprocessedRows& x, std::span<const int64_t> ids);

 private:
  struct Buffers {
    Tensor y;   // the layer's output, all rows of the batch
    Tensor dy;  // dL/dy (for the last layer the loss's gradient, unused when the loss writes dz itself)
    Tensor dz;  // dL/d(pre-activation), when the layer applies an activation (else dy is dz)
    std::vector<cpu::bf16> x16, dz16, w16;  // bf16 layers: the products' operands
  };

  bool through_activation(size_t l) const;
  bool in_bf16(size_t l) const;
  const float* layer_input(size_t l) const;
  const float* layer_dz(size_t l) const;
  void size_buffers(int64_t n);
  void round_weights(int t, int threads);
  void rows_forward_backward(const PreprocessedRows& x, std::span<const int64_t> ids, int64_t r0, int64_t r1,
                             float scale);
  void weight_gradients(int t, int threads, int64_t n);

  std::vector<Dense*> layers_;
  const RowSeparableLoss* loss_ = nullptr;
  bool any_bf16_ = false;  // some layer's products run in bf16: the weights are rounded first
  Tensor batch_;  // the gathered rows: the first layer's input and the target
  std::vector<Buffers> buffers_;
  std::vector<double> row_sums_;
};

}  // namespace aekit
