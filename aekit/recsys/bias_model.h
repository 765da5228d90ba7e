#pragma once
// The regularised bias baseline r(u, i) = mu + b_u + b_i (Koren 2010, section 2.1): mu the global
// mean, then b_i = sum_u (r - mu) / (lambda + n_i), then b_u = sum_i (r - mu - b_i) / (lambda + n_u).
// It is printed beside every rating model and predicts the pairs a model cannot (a user or item
// without training ratings): an unknown user or item contributes a bias of 0.
#include <aekit/core/csr_matrix.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace aekit {

struct BiasModel {
  double mu = 0.0;
  std::vector<float> user_bias;  // per row of the user x item matrix
  std::vector<float> item_bias;  // per column

  // Fits on a users x items matrix of training ratings.
  static BiasModel fit(const CsrMatrix& by_user, double lambda = 5.0);
  // user or item -1 means unknown (bias 0).
  double predict(int64_t user, int64_t item) const;

  nlohmann::json to_json() const;
  static BiasModel from_json(const nlohmann::json& j, int64_t users, int64_t items, const std::string& source);
};

}  // namespace aekit
