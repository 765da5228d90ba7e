#include <aekit/recsys/masked_mse.h>

#include <aekit/core/error.h>

namespace aekit {

namespace {

double normaliser(MaskedNormalisation norm, int64_t samples, int64_t rows, int64_t cols) {
  return norm == MaskedNormalisation::Rated ? static_cast<double>(samples)
                                            : static_cast<double>(rows) * static_cast<double>(cols);
}

}  // namespace

float masked_mse_scale(MaskedNormalisation norm, int64_t samples, int64_t rows, int64_t cols) {
  const double count = normaliser(norm, samples, rows, cols);
  return count == 0 ? 0.0f : static_cast<float>(2.0 / count);
}

double masked_mse(std::span<const float> y, std::span<const float> t, MaskedNormalisation norm,
                  int64_t rows, int64_t cols, std::span<float> grad) {
  AEKIT_ASSERT(y.size() == t.size() && (grad.empty() || grad.size() == y.size()), "masked MSE sizes");
  const double count = normaliser(norm, static_cast<int64_t>(y.size()), rows, cols);
  if (count == 0) return 0.0;
  double sum = 0.0;
  const float scale = masked_mse_scale(norm, static_cast<int64_t>(y.size()), rows, cols);
  for (size_t k = 0; k < y.size(); ++k) {
    const float d = y[k] - t[k];
    sum += static_cast<double>(d) * d;
    if (!grad.empty()) grad[k] = scale * d;
  }
  return sum / count;
}

}  // namespace aekit
