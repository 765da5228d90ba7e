// PCA: the eigen solver, the fitted directions and variances, the linear autoencoder's optimum
// (seed 001: a linear autoencoder trained with MSE spans the principal subspace), and the PCA as
// a model file.
#include <aekit/core/error.h>
#include <aekit/core/rng.h>
#include <aekit/core/threads.h>
#include <aekit/linalg/pca.h>
#include <aekit/linalg/symmetric_eigen.h>
#include <aekit/losses/loss.h>
#include <aekit/models/dense_arch.h>
#include <aekit/models/pca_model.h>
#include <aekit/train/trainer.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <numbers>
#include <unistd.h>

namespace aekit {
namespace {

// Rows mean + sum_i s_i z_i b_i + noise, with b_i a random orthonormal basis of R^d, z_i standard
// normal: the covariance's eigenvalues are s_i^2 (+ noise^2), well separated.
Tensor structured_data(int64_t rows, const std::vector<float>& scales, float noise, uint64_t seed) {
  const auto d = static_cast<int64_t>(scales.size());
  Rng rng(seed);
  std::vector<double> basis(static_cast<size_t>(d * d));
  for (double& v : basis) v = rng.normal();
  for (int64_t i = 0; i < d; ++i) {  // Gram-Schmidt
    double* bi = basis.data() + i * d;
    for (int64_t j = 0; j < i; ++j) {
      const double* bj = basis.data() + j * d;
      double dot = 0;
      for (int64_t c = 0; c < d; ++c) dot += bi[c] * bj[c];
      for (int64_t c = 0; c < d; ++c) bi[c] -= dot * bj[c];
    }
    double norm = 0;
    for (int64_t c = 0; c < d; ++c) norm += bi[c] * bi[c];
    for (int64_t c = 0; c < d; ++c) bi[c] /= std::sqrt(norm);
  }
  Tensor x({rows, d});
  for (int64_t r = 0; r < rows; ++r) {
    float* row = x.row(r);
    for (int64_t c = 0; c < d; ++c) row[c] = 0.3f * static_cast<float>(c) + noise * rng.normal();
    for (int64_t i = 0; i < d; ++i) {
      const float z = scales[i] * rng.normal();
      for (int64_t c = 0; c < d; ++c) row[c] += z * static_cast<float>(basis[i * d + c]);
    }
  }
  return x;
}

// Largest principal angle (radians) between the column space of `w` (d x k, row-major) and the
// row space of `v` (k x d, orthonormal rows).
double largest_principal_angle(const Tensor& w, const Tensor& v) {
  const int64_t d = w.rows(), k = w.cols();
  std::vector<double> q(static_cast<size_t>(d * k));  // columns of w, orthonormalised; q[c * d + j]
  for (int64_t c = 0; c < k; ++c) {
    double* qc = q.data() + c * d;
    for (int64_t j = 0; j < d; ++j) qc[j] = w.row(j)[c];
    for (int64_t p = 0; p < c; ++p) {
      const double* qp = q.data() + p * d;
      double dot = 0;
      for (int64_t j = 0; j < d; ++j) dot += qc[j] * qp[j];
      for (int64_t j = 0; j < d; ++j) qc[j] -= dot * qp[j];
    }
    double norm = 0;
    for (int64_t j = 0; j < d; ++j) norm += qc[j] * qc[j];
    for (int64_t j = 0; j < d; ++j) qc[j] /= std::sqrt(norm);
  }
  std::vector<double> m(static_cast<size_t>(k * k));  // M = V Q, k x k
  for (int64_t a = 0; a < k; ++a)
    for (int64_t b = 0; b < k; ++b)
      for (int64_t j = 0; j < d; ++j) m[a * k + b] += v.row(a)[j] * q[b * d + j];
  std::vector<double> mtm(static_cast<size_t>(k * k));
  for (int64_t a = 0; a < k; ++a)
    for (int64_t b = 0; b < k; ++b)
      for (int64_t c = 0; c < k; ++c) mtm[a * k + b] += m[c * k + a] * m[c * k + b];
  const SymmetricEigen e = symmetric_eigen(mtm, k);
  const double smallest_cosine = std::sqrt(std::clamp(e.values.back(), 0.0, 1.0));
  return std::acos(smallest_cosine);
}

TEST(SymmetricEigen, KnownMatrixLargestFirst) {
  // [[2,1,0],[1,2,0],[0,0,5]]: eigenvalues 5, 3, 1 with vectors e3, (1,1,0)/sqrt2, (1,-1,0)/sqrt2.
  const SymmetricEigen e = symmetric_eigen({2, 1, 0, 1, 2, 0, 0, 0, 5}, 3);
  ASSERT_EQ(e.values.size(), 3u);
  EXPECT_NEAR(e.values[0], 5, 1e-12);
  EXPECT_NEAR(e.values[1], 3, 1e-12);
  EXPECT_NEAR(e.values[2], 1, 1e-12);
  EXPECT_NEAR(e.vectors[2], 1, 1e-12);  // row 0 = (0, 0, 1)
  EXPECT_NEAR(e.vectors[3], std::sqrt(0.5), 1e-12);
  EXPECT_NEAR(e.vectors[4], std::sqrt(0.5), 1e-12);
  EXPECT_NEAR(std::fabs(e.vectors[6]), std::sqrt(0.5), 1e-12);
  EXPECT_GT(e.vectors[6], 0);  // sign convention: the largest entry (first of a tie) is positive
}

TEST(Pca, ComponentsAreOrthonormalAndVariancesMatchTheCovariance) {
  const Tensor x = structured_data(2000, {3, 2, 1.5f, 0.5f, 0.3f, 0.2f}, 0.05f, 1);
  const Pca pca = fit_pca(x.view(), 3);
  ASSERT_EQ(pca.size(), 3);
  ASSERT_EQ(pca.features(), 6);
  for (int64_t a = 0; a < 3; ++a)
    for (int64_t b = 0; b < 3; ++b) {
      double dot = 0;
      for (int64_t j = 0; j < 6; ++j) dot += pca.components.row(a)[j] * pca.components.row(b)[j];
      EXPECT_NEAR(dot, a == b ? 1.0 : 0.0, 1e-5);
    }
  // Total variance = trace of the covariance, computed here directly.
  double trace = 0;
  for (int64_t c = 0; c < 6; ++c) {
    double mean = 0, sq = 0;
    for (int64_t r = 0; r < x.rows(); ++r) mean += x.row(r)[c];
    mean /= x.rows();
    for (int64_t r = 0; r < x.rows(); ++r) sq += (x.row(r)[c] - mean) * (x.row(r)[c] - mean);
    trace += sq / x.rows();
  }
  EXPECT_NEAR(pca.total_variance(), trace, 1e-4 * trace);
  for (size_t i = 1; i < pca.variances.size(); ++i) EXPECT_GE(pca.variances[i - 1], pca.variances[i]);
  EXPECT_NEAR(pca.variances[0], 9.0, 9.0 * 0.1);  // the largest scale, 3^2, within sampling error
}

TEST(Pca, ReconstructionErrorIsTheSumOfDiscardedEigenvalues) {
  const Tensor x = structured_data(3000, {2, 1.7f, 1.2f, 0.8f, 0.6f, 0.4f, 0.3f, 0.1f}, 0.02f, 2);
  for (int64_t k : {1, 3, 5, 8}) {
    const Pca pca = fit_pca(x.view(), k);
    TrainedModel model = make_pca_model(pca, Preprocessor());
    const Tensor recon = model.network->reconstruct(x.view());
    double sse = 0;
    for (int64_t i = 0; i < x.size(); ++i) sse += (double(recon[i]) - x[i]) * (double(recon[i]) - x[i]);
    const double per_sample = sse / static_cast<double>(x.rows());
    double discarded = 0;
    for (size_t i = static_cast<size_t>(k); i < pca.variances.size(); ++i) discarded += pca.variances[i];
    EXPECT_NEAR(per_sample, discarded, 1e-4 * pca.total_variance() + 1e-3 * discarded) << "k = " << k;
    EXPECT_NEAR(pca.discarded_variance(), discarded, 1e-12 + 1e-9 * discarded);
  }
}

TEST(Pca, EncodeIsTheProjection) {
  const Tensor x = structured_data(300, {2, 1, 0.5f, 0.2f}, 0.01f, 3);
  const Pca pca = fit_pca(x.view(), 2);
  TrainedModel model = make_pca_model(pca, Preprocessor());
  const Tensor codes = model.network->encode(x.view());
  const Tensor projected = pca_project(pca, x.view());
  ASSERT_EQ(codes.shape(), projected.shape());
  for (int64_t i = 0; i < codes.size(); ++i) EXPECT_NEAR(codes[i], projected[i], 1e-4);
}

TEST(Pca, LinearAutoencoderSpansThePrincipalSubspace) {
  const Tensor x = structured_data(1000, {2, 1.5f, 1.2f, 0.4f, 0.3f, 0.2f, 0.15f, 0.1f}, 0.01f, 4);
  const Pca pca = fit_pca(x.view(), 3);
  DenseArch arch;
  arch.encoder = {8, 3};
  arch.activation = "identity";
  arch.output_activation = "identity";
  Autoencoder net(arch.to_spec(), 5);
  TrainConfig config;
  config.epochs = 150;
  config.batch_size = 32;
  config.optimizer = OptimizerConfig::defaults_for("adam");
  config.optimizer.lr = 0.01f;
  config.schedule = "cosine";
  const auto loss = make_loss("mse");
  set_num_threads(1);  // a tiny network: threads would only add barriers
  train(net, x, *loss, config);
  set_num_threads(0);
  // Converged (measured: 1.0003 x the optimum, largest angle 0.08 degrees): the training MSE per element is the PCA optimum's (discarded variance / d).
  const double optimum = pca.discarded_variance() / 8.0;
  const double reached = evaluate_loss(net, x.view(), *loss);
  EXPECT_LT(reached, optimum * 1.005) << "optimum " << optimum;
  Tensor decoder_weight;
  for (const Param& p : net.params())
    if (p.name == "decoder.0.weight") decoder_weight = *p.value;
  const double angle = largest_principal_angle(decoder_weight, pca.components);
  EXPECT_LT(angle, 0.5 * std::numbers::pi / 180.0) << "largest principal angle " << angle * 180 / std::numbers::pi
                                                   << " degrees";
  // And the measure is not vacuous: an untrained decoder is far from the subspace.
  Autoencoder untrained(arch.to_spec(), 5);
  for (const Param& p : untrained.params())
    if (p.name == "decoder.0.weight") decoder_weight = *p.value;
  EXPECT_GT(largest_principal_angle(decoder_weight, pca.components), 20.0 * std::numbers::pi / 180.0);
}

TEST(Pca, ModelFileRoundTrip) {
  const Tensor x = structured_data(200, {3, 1, 0.5f, 0.1f, 0.05f}, 0.01f, 6);
  Dataset data;
  data.x = x;
  data.source = "synthetic";
  TrainedModel model = fit_pca_model(data, 2, PreprocessKind::ZScore);
  EXPECT_TRUE(is_pca_model(model));
  const std::string path =
      (std::filesystem::temp_directory_path() / ("aekit-pca-" + std::to_string(getpid()) + ".aek")).string();
  save_trained_model(path, model);
  TrainedModel loaded = load_trained_model(path);
  std::filesystem::remove(path);
  EXPECT_TRUE(is_pca_model(loaded));
  EXPECT_EQ(loaded.training["components"], 2);
  EXPECT_EQ(loaded.preprocessor.kind(), PreprocessKind::ZScore);
  const Tensor a = model.network->encode(data.x.view()), b = loaded.network->encode(data.x.view());
  ASSERT_EQ(a.shape(), b.shape());
  for (int64_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i], b[i]);
}

TEST(Pca, RejectsBadComponentCounts) {
  const Tensor x = structured_data(50, {1, 0.5f, 0.2f}, 0.01f, 7);
  EXPECT_THROW(fit_pca(x.view(), 0), InputError);
  EXPECT_THROW(fit_pca(x.view(), 4), InputError);
  Dataset data;
  data.x = x;
  data.source = "synthetic";
  EXPECT_THROW(fit_pca_model(data, 5, PreprocessKind::None), InputError);
}

}  // namespace
}  // namespace aekit
