#include <aekit/linalg/pca.h>

#include <aekit/backend/cpu/gemm.h>
#include <aekit/core/error.h>
#include <aekit/linalg/symmetric_eigen.h>

#include <algorithm>
#include <numeric>

namespace aekit {

namespace {

constexpr int64_t kChunkRows = 4096;

std::vector<double> column_means(ConstMatrixView x) {
  std::vector<double> sum(static_cast<size_t>(x.cols), 0.0);
  for (int64_t r = 0; r < x.rows; ++r) {
    const float* row = x.row(r);
    for (int64_t c = 0; c < x.cols; ++c) sum[c] += row[c];
  }
  for (double& s : sum) s /= static_cast<double>(x.rows);
  return sum;
}

// Sum over rows of (x - mean)(x - mean)^T, d x d row-major. Centring before the product keeps the
// float GEMM accurate (no large mean^2 terms to cancel); each chunk's product is summed in double.
std::vector<double> centred_scatter(ConstMatrixView x, const std::vector<float>& mean) {
  const int64_t d = x.cols;
  std::vector<double> scatter(static_cast<size_t>(d * d), 0.0);
  Tensor centred({std::min(kChunkRows, x.rows), d});
  Tensor product({d, d});
  for (int64_t begin = 0; begin < x.rows; begin += kChunkRows) {
    const int64_t count = std::min(kChunkRows, x.rows - begin);
    for (int64_t r = 0; r < count; ++r) {
      const float* in = x.row(begin + r);
      float* out = centred.row(r);
      for (int64_t c = 0; c < d; ++c) out[c] = in[c] - mean[c];
    }
    cpu::gemm(true, false, d, d, count, 1.0f, centred.data(), d, centred.data(), d, 0.0f, product.data(), d);
    for (int64_t i = 0; i < d * d; ++i) scatter[i] += product[i];
  }
  return scatter;
}

}  // namespace

double Pca::total_variance() const { return std::accumulate(variances.begin(), variances.end(), 0.0); }

double Pca::kept_variance() const {
  return std::accumulate(variances.begin(), variances.begin() + std::min<int64_t>(size(), variances.size()), 0.0);
}

Pca fit_pca(ConstMatrixView x, int64_t components) {
  if (x.rows <= 0 || x.cols <= 0) fail("PCA needs at least one sample with at least one feature");
  if (x.cols > kMaxPcaFeatures)
    fail("PCA of ", x.cols, " features is not supported (at most ", kMaxPcaFeatures, ")");
  if (components < 1 || components > x.cols)
    fail("PCA components must be between 1 and the number of features (", x.cols, "), got ", components);

  Pca pca;
  pca.rows = x.rows;
  const std::vector<double> mean = column_means(x);
  pca.mean.assign(mean.begin(), mean.end());
  std::vector<double> covariance = centred_scatter(x, pca.mean);
  for (double& v : covariance) v /= static_cast<double>(x.rows);

  const SymmetricEigen eigen = symmetric_eigen(std::move(covariance), x.cols);
  pca.variances.resize(eigen.values.size());
  // Rounding leaves the null space's eigenvalues a hair below zero; a variance is never negative.
  std::transform(eigen.values.begin(), eigen.values.end(), pca.variances.begin(),
                 [](double v) { return std::max(v, 0.0); });
  pca.components = Tensor({components, x.cols});
  for (int64_t i = 0; i < components * x.cols; ++i) pca.components[i] = static_cast<float>(eigen.vectors[i]);
  return pca;
}

Tensor pca_project(const Pca& pca, ConstMatrixView x) {
  AEKIT_ASSERT(x.cols == pca.features(), "pca_project: ", x.cols, " features, PCA has ", pca.features());
  const int64_t d = x.cols, k = pca.size();
  Tensor codes({x.rows, k});
  if (x.rows == 0) return codes;
  Tensor centred({std::min(kChunkRows, x.rows), d});
  for (int64_t begin = 0; begin < x.rows; begin += kChunkRows) {
    const int64_t count = std::min(kChunkRows, x.rows - begin);
    for (int64_t r = 0; r < count; ++r) {
      const float* in = x.row(begin + r);
      float* out = centred.row(r);
      for (int64_t c = 0; c < d; ++c) out[c] = in[c] - pca.mean[c];
    }
    cpu::gemm(false, true, count, k, d, 1.0f, centred.data(), d, pca.components.data(), d, 0.0f,
              codes.row(begin), k);
  }
  return codes;
}

}  // namespace aekit
