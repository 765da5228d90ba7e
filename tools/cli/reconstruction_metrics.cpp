#include "reconstruction_metrics.h"

#include <aekit/losses/loss.h>
#include <aekit/train/dense_rows.h>
#include <aekit/train/trainer.h>

#include <algorithm>
#include <cmath>

namespace aekit::cli {

namespace {

struct Accumulator {
  double sse = 0, abs = 0, max_sample = 0;
  std::vector<double> feature_sse;

  explicit Accumulator(int64_t features) : feature_sse(static_cast<size_t>(features), 0.0) {}
  void add(ConstMatrixView target, ConstMatrixView recon) {
    for (int64_t r = 0; r < target.rows; ++r) {
      const float* a = target.row(r);
      const float* b = recon.row(r);
      double sample = 0;
      for (int64_t c = 0; c < target.cols; ++c) {
        const double d = static_cast<double>(b[c]) - a[c];
        sample += d * d;
        abs += std::fabs(d);
        feature_sse[static_cast<size_t>(c)] += d * d;
      }
      sse += sample;
      max_sample = std::max(max_sample, sample);
    }
  }
  ErrorSums sums(int64_t rows) const {
    const auto n = static_cast<double>(rows), cells = n * static_cast<double>(feature_sse.size());
    ErrorSums e{sse / cells, abs / cells, sse / n, max_sample, {}};
    for (double f : feature_sse) e.mse_per_feature.push_back(f / n);
    return e;
  }
};

// The rows of `rows` into out, reusing its allocation.
void copy_rows(ConstMatrixView rows, Tensor& out) {
  out.resize({rows.rows, rows.cols});
  std::copy(rows.data, rows.data + rows.size(), out.data());
}

constexpr int64_t kChunk = 1024;  // evaluate_loss's and Autoencoder::reconstruct's chunk

// The model's loss in logits (bce_logits) over x as evaluate_loss computes it, chunk by chunk
// (the same bits), reading x as the metrics pass does.
double logits_loss(Autoencoder& network, const PreprocessedRows& x, const Tensor* corrupted, const Loss& loss) {
  if (!x.rows()) return 0.0;
  LogitsScope logits(network, loss);
  double weighted = 0.0;
  Tensor scratch;
  for (int64_t first = 0; first < x.rows(); first += kChunk) {
    const int64_t n = std::min(kChunk, x.rows() - first);
    const ConstMatrixView target = x.block(first, n, scratch);
    const ConstMatrixView input = corrupted ? corrupted->rows_view(first, n) : target;
    const Tensor& out = network.forward(input, Mode::Infer);
    weighted += loss.compute(out.view(), target, nullptr) * static_cast<double>(n);
  }
  return weighted / static_cast<double>(x.rows());
}

}  // namespace

ReconstructionMetrics measure_reconstruction(TrainedModel& model, const PreprocessedRows& x, const Tensor* corrupted) {
  Accumulator preprocessed(x.cols()), data_units(x.cols());
  const auto loss = make_loss(model.loss);
  // The loss comes from the same pass, chunk by chunk as evaluate_loss computes it (the same
  // bits), unless it needs the network's logits (bce_logits): then it takes a pass of its own.
  const bool loss_in_this_pass = !loss->takes_logits();
  double weighted_loss = 0.0;
  // Chunk by chunk as Autoencoder::reconstruct computes them (the same bits), without holding
  // all reconstructions: a fresh buffer the size of the data was a quarter of eval's time.
  // The two buffers are reused from chunk to chunk: fresh pages cost more than the copying.
  // Bytes are converted and preprocessed a chunk at a time into `scratch` (no float copy of the
  // whole dataset, whose fresh pages cost more than evaluating it).
  Tensor recon, copy, scratch;
  for (int64_t first = 0; first < x.rows(); first += kChunk) {
    const int64_t n = std::min(kChunk, x.rows() - first);
    const ConstMatrixView rows = x.block(first, n, scratch);
    recon = model.network->forward(corrupted ? corrupted->rows_view(first, n) : rows, Mode::Infer);
    // The target is inverted in place below: bytes were converted into scratch, which is ours to
    // change; float rows are the dataset's own and are copied first.
    Tensor* target = &scratch;
    if (rows.data != scratch.data()) {
      copy_rows(rows, copy);
      target = &copy;
    }
    preprocessed.add(target->view(), recon.view());
    if (loss_in_this_pass) weighted_loss += loss->compute(recon.view(), target->view(), nullptr) * static_cast<double>(n);
    model.preprocessor.invert(recon);
    model.preprocessor.invert(*target);
    data_units.add(target->view(), recon.view());
  }
  ReconstructionMetrics m;
  m.preprocessed = preprocessed.sums(x.rows());
  m.data_units = data_units.sums(x.rows());
  if (loss_in_this_pass) m.loss = x.rows() ? weighted_loss / static_cast<double>(x.rows()) : 0.0;
  else m.loss = logits_loss(*model.network, x, corrupted, *loss);
  return m;
}

}  // namespace aekit::cli
