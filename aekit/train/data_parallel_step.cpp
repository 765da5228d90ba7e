#include <aekit/train/data_parallel_step.h>

#include <aekit/backend/cpu/elementwise.h>
#include <aekit/backend/cpu/gemm.h>
#include <aekit/backend/cpu/matmul.h>
#include <aekit/core/threads.h>
#include <aekit/losses/pointwise_loss.h>

#include <algorithm>
#include <exception>
#include <utility>

#include <omp.h>

namespace aekit {

namespace {

// Runs `work` and keeps the first exception any thread of the region throws, so that every thread
// still reaches the barriers and the region's end.
template <typename Work>
void guarded(std::exception_ptr& failure, Work&& work) {
  try {
    work();
  } catch (...) {
#pragma omp critical(aekit_data_parallel_step)
    if (!failure) failure = std::current_exception();
  }
}

}  // namespace

DataParallelDenseStep::DataParallelDenseStep(Autoencoder& model, const Loss& loss) {
  for (size_t i = 0; i < model.layer_count(); ++i) {
    auto* dense = dynamic_cast<Dense*>(&model.layer(i));
    if (!dense || dense->reads_reordered_input() || dense->writes_reordered_output()) return;
    layers_.push_back(dense);
  }
  if (layers_.empty()) return;
  loss_ = dynamic_cast<const RowSeparableLoss*>(&loss);
  buffers_.resize(layers_.size());
  for (size_t l = 0; l < layers_.size(); ++l) any_bf16_ = any_bf16_ || in_bf16(l);
}

bool DataParallelDenseStep::through_activation(size_t l) const {
  return !layers_[l]->emits_logits() && layers_[l]->activation() != Activation::Identity;
}

bool DataParallelDenseStep::in_bf16(size_t l) const { return layers_[l]->precision() == Precision::Bf16; }

const float* DataParallelDenseStep::layer_input(size_t l) const {
  return l == 0 ? batch_.data() : buffers_[l - 1].y.data();
}

const float* DataParallelDenseStep::layer_dz(size_t l) const {
  return through_activation(l) ? buffers_[l].dz.data() : buffers_[l].dy.data();
}

void DataParallelDenseStep::size_buffers(int64_t n) {
  batch_.resize({n, layers_.front()->in_features()});
  for (size_t l = 0; l < layers_.size(); ++l) {
    const int64_t in = layers_[l]->in_features(), out = layers_[l]->out_features();
    Buffers& b = buffers_[l];
    b.y.resize({n, out});
    const bool last = l + 1 == layers_.size();
    if (!last || !through_activation(l)) b.dy.resize({n, out});  // the output layer's dz comes from the loss
    if (through_activation(l)) b.dz.resize({n, out});
    if (in_bf16(l)) {
      b.x16.resize(static_cast<size_t>(n * in));
      b.dz16.resize(static_cast<size_t>(n * out));
      b.w16.resize(static_cast<size_t>(out * in));
    }
  }
  row_sums_.resize(static_cast<size_t>(n));
}

double DataParallelDenseStep::run(const PreprocessedRows& x, std::span<const int64_t> ids) {
  AEKIT_ASSERT(fits(), "the data-parallel step does not fit this model");
  AEKIT_ASSERT(x.cols() == layers_.front()->in_features(), "data has ", x.cols(), " features, the model ",
               layers_.front()->in_features());
  const auto n = static_cast<int64_t>(ids.size());
  if (n == 0) return 0.0;
  size_buffers(n);
  const int64_t outputs = n * layers_.back()->out_features();
  const float scale = 1.0f / static_cast<float>(outputs);
  std::exception_ptr failure;
#pragma omp parallel
  {
    omp_set_num_threads(1);  // this thread's products are created and run for one thread
    const int threads = omp_get_num_threads(), t = omp_get_thread_num();
    if (any_bf16_) {
      guarded(failure, [&] { round_weights(t, threads); });
#pragma omp barrier
    }
    const int64_t r0 = n * t / threads, r1 = n * (t + 1) / threads;
    if (!failure) guarded(failure, [&] { rows_forward_backward(x, ids, r0, r1, scale); });
#pragma omp barrier
    if (!failure) guarded(failure, [&] { weight_gradients(t, threads, n); });
  }
  if (failure) std::rethrow_exception(failure);
  // As PointwiseLoss::compute: the rows' sums added in row order, then the mean.
  double total = 0.0;
  for (const double s : row_sums_) total += s;
  return total / static_cast<double>(outputs);
}

// Thread t's part of every bf16 layer's weights, rounded for the products.
void DataParallelDenseStep::round_weights(int t, int threads) {
  for (size_t l = 0; l < layers_.size(); ++l) {
    if (!in_bf16(l)) continue;
    const Tensor& w = layers_[l]->weight();
    const auto [begin, end] = cache_line_share(w.size(), t, threads);
    cpu::to_bf16(w.data() + begin, buffers_[l].w16.data() + begin, end - begin);
  }
}

// Rows [r0, r1) through the network and back: outputs, loss, and every layer's dz for those rows.
void DataParallelDenseStep::rows_forward_backward(const PreprocessedRows& x, std::span<const int64_t> ids,
                                                  int64_t r0, int64_t r1, float scale) {
  const int64_t m = r1 - r0;
  if (m == 0) return;  // a batch smaller than the team: this thread only helps with the gradients
  x.gather(ids.subspan(static_cast<size_t>(r0), static_cast<size_t>(m)), batch_.rows_view(r0, m));
  const size_t last = layers_.size() - 1;
  for (size_t l = 0; l <= last; ++l) {
    const Dense& d = *layers_[l];
    const int64_t in = d.in_features();
    const ConstMatrixView input(layer_input(l) + r0 * in, m, in);
    const MatrixView y = buffers_[l].y.rows_view(r0, m);
    const Activation act = d.emits_logits() ? Activation::Identity : d.activation();
    if (in_bf16(l)) {
      cpu::bf16* x16 = buffers_[l].x16.data() + r0 * in;
      cpu::to_bf16(input.data, x16, input.size());
      cpu::linear_forward_bf16(x16, m, in, buffers_[l].w16.data(), d.bias().data(), y, act);
    } else {
      cpu::linear_forward(input, d.weight().data(), d.bias().data(), y, act);
    }
  }
  // The output layer's dz straight from the loss (one pass, no dL/dy written); the others' from dy.
  if (through_activation(last)) {
    loss_->rows_serial_through(buffers_[last].y.rows_view(r0, m), batch_.rows_view(r0, m), scale,
                               layers_[last]->activation(), buffers_[last].dz.row(r0), row_sums_.data() + r0);
  } else {
    loss_->rows_serial(buffers_[last].y.rows_view(r0, m), batch_.rows_view(r0, m), scale, buffers_[last].dy.row(r0),
                       row_sums_.data() + r0);
  }
  for (size_t l = last + 1; l-- > 0;) {
    const Dense& d = *layers_[l];
    const int64_t in = d.in_features(), out = d.out_features();
    Buffers& b = buffers_[l];
    const float* dz = b.dy.row(r0);
    if (through_activation(l)) {
      if (l != last) cpu::activation_backward_serial(b.y.row(r0), dz, b.dz.row(r0), m * out, d.activation());
      dz = b.dz.row(r0);
    }
    if (in_bf16(l)) cpu::to_bf16(dz, b.dz16.data() + r0 * out, m * out);
    if (l == 0) break;  // the input's gradient is never needed
    float* dx = buffers_[l - 1].dy.row(r0);
    if (in_bf16(l)) {
      cpu::matmul_bf16(false, false, m, in, out, b.dz16.data() + r0 * out, b.w16.data(), dx);
    } else {
      cpu::gemm(false, false, m, in, out, 1.0f, dz, out, d.weight().data(), in, 0.0f, dx, in);
    }
  }
}

// Thread t's rows of every weight gradient and its entries of every bias gradient, over all n rows.
void DataParallelDenseStep::weight_gradients(int t, int threads, int64_t n) {
  for (size_t l = 0; l < layers_.size(); ++l) {
    Dense& d = *layers_[l];
    const int64_t in = d.in_features(), out = d.out_features();
    const auto [o0, o1] = cache_line_share(out, t, threads);
    if (o0 == o1) continue;
    float* weight_grad = d.weight_grad().data() + o0 * in;
    const float* dz = layer_dz(l);
    // dW rows [o0, o1) (o1 - o0 x in) = dz[:, o0:o1]^T (o1 - o0 x n) * x (n x in)
    if (in_bf16(l)) {
      // The block's columns of dz copied together first: oneDNN 2.6 takes a strided bf16 operand
      // only through its gemm:jit kernel, 10x slower here than brgemm on a dense one (1.03 ms for
      // 64x256x784 against 0.20 ms for twice that, ONEDNN_VERBOSE); the copy is n x 64 values.
      const int64_t width = o1 - o0;
      thread_local std::vector<cpu::bf16> block;
      block.resize(static_cast<size_t>(n * width));
      const cpu::bf16* dz16 = buffers_[l].dz16.data() + o0;
      for (int64_t r = 0; r < n; ++r) std::copy_n(dz16 + r * out, width, block.data() + r * width);
      cpu::matmul_bf16(true, false, width, in, n, block.data(), buffers_[l].x16.data(), weight_grad);
    } else {
      cpu::gemm(true, false, o1 - o0, in, n, 1.0f, dz + o0, out, layer_input(l), in, 0.0f, weight_grad, in);
    }
    cpu::column_sums_serial(ConstMatrixView(dz, n, out), o0, o1, d.bias_grad().data());
  }
}

}  // namespace aekit
