#include "reconstruction_metrics.h"

#include <aekit/losses/loss.h>
#include <aekit/train/trainer.h>

#include <algorithm>
#include <cmath>

namespace aekit::cli {

namespace {

struct Accumulator {
  double sse = 0, abs = 0, max_sample = 0;
  std::vector<double> feature_sse;

  explicit Accumulator(int64_t features) : feature_sse(static_cast<size_t>(features), 0.0) {}
  void add(const Tensor& target, const Tensor& recon) {
    for (int64_t r = 0; r < target.rows(); ++r) {
      const float* a = target.row(r);
      const float* b = recon.row(r);
      double sample = 0;
      for (int64_t c = 0; c < target.cols(); ++c) {
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

// Rows [first, first + n) of t into out, reusing its allocation.
void copy_rows(const Tensor& t, int64_t first, int64_t n, Tensor& out) {
  out.resize({n, t.cols()});
  std::copy(t.row(first), t.row(first) + n * t.cols(), out.data());
}

}  // namespace

ReconstructionMetrics measure_reconstruction(TrainedModel& model, const Tensor& x, const Tensor& input) {
  Accumulator preprocessed(x.cols()), data_units(x.cols());
  const auto loss = make_loss(model.loss);
  // The loss comes from the same pass, chunk by chunk as evaluate_loss computes it (the same
  // bits), unless it needs the network's logits (bce_logits): then it takes a pass of its own.
  const bool loss_in_this_pass = !loss->takes_logits();
  double weighted_loss = 0.0;
  // Chunk by chunk as Autoencoder::reconstruct computes them (the same bits), without holding
  // all reconstructions: a fresh buffer the size of the data was a quarter of eval's time.
  // The two buffers are reused from chunk to chunk: fresh pages cost more than the copying.
  constexpr int64_t kChunk = 1024;
  Tensor recon, target;
  for (int64_t first = 0; first < x.rows(); first += kChunk) {
    const int64_t n = std::min(kChunk, x.rows() - first);
    recon = model.network->forward(ConstMatrixView(input.row(first), n, input.cols()), Mode::Infer);
    copy_rows(x, first, n, target);
    preprocessed.add(target, recon);
    if (loss_in_this_pass) weighted_loss += loss->compute(recon.view(), target.view(), nullptr) * static_cast<double>(n);
    model.preprocessor.invert(recon);
    model.preprocessor.invert(target);
    data_units.add(target, recon);
  }
  ReconstructionMetrics m;
  m.preprocessed = preprocessed.sums(x.rows());
  m.data_units = data_units.sums(x.rows());
  if (loss_in_this_pass) m.loss = x.rows() ? weighted_loss / static_cast<double>(x.rows()) : 0.0;
  else m.loss = evaluate_loss(*model.network, input.view(), x.view(), *loss);
  return m;
}

}  // namespace aekit::cli
