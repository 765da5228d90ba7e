#pragma once
// Principal component analysis: the directions of largest variance of a data matrix (one sample
// per row), from the eigen-decomposition of its covariance. The linear autoencoder's optimum
// (seed 001): a linear encoder/decoder trained with MSE spans the same subspace.
#include <aekit/core/tensor.h>

#include <cstdint>
#include <vector>

namespace aekit {

// Above this many features the d x d covariance (8 bytes a value) is refused rather than allocated.
inline constexpr int64_t kMaxPcaFeatures = 8192;

struct Pca {
  std::vector<float> mean;         // d feature means
  Tensor components;               // k x d, orthonormal rows, largest variance first
  std::vector<double> variances;   // all d eigenvalues of the covariance (divided by N), largest first
  int64_t rows = 0;                // samples it was fitted on

  int64_t features() const { return static_cast<int64_t>(mean.size()); }
  int64_t size() const { return components.rows(); }
  double total_variance() const;
  double kept_variance() const;  // the first size() variances
  // Mean squared reconstruction error per sample on the fitting data: the discarded variances.
  double discarded_variance() const { return total_variance() - kept_variance(); }
};

// Fits `components` principal directions on the rows of x. The covariance is accumulated over
// chunks of centred rows with the GEMM (float products summed in double). Throws InputError when x
// has no rows, components is not in [1, features], or there are more than kMaxPcaFeatures features.
Pca fit_pca(ConstMatrixView x, int64_t components);

// Codes (x - mean) V^T: rows x pca.size().
Tensor pca_project(const Pca& pca, ConstMatrixView x);

}  // namespace aekit
