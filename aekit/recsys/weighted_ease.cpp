#include <aekit/recsys/weighted_ease.h>

#include <aekit/core/error.h>
#include <aekit/recsys/ease.h>

namespace aekit {

EaseFit fit_weighted_ease(const CsrMatrix& ratings, const std::function<CsrMatrix(float)>& input,
                          std::span<const double> weights, std::span<const double> lambdas,
                          std::span<const double> dropouts, float fraction, float positive_threshold, Rng& rng) {
  AEKIT_ASSERT(!weights.empty() && !lambdas.empty() && !dropouts.empty(), "fit_weighted_ease needs candidates");
  EaseFit fit;
  fit.weight = weights.front();
  fit.lambda = lambdas.front();
  fit.dropout = dropouts.front();
  if (weights.size() * lambdas.size() * dropouts.size() > 1 && fraction > 0) {
    std::vector<uint8_t> relevant;
    relevant.reserve(ratings.values().size());
    for (float r : ratings.values()) relevant.push_back(r >= positive_threshold ? 1 : 0);
    const Rng start = rng;
    double best = -1;
    for (double w : weights) {
      const CsrMatrix x = input(static_cast<float>(w));
      AEKIT_ASSERT(x.nnz() == ratings.nnz(), "weighted interactions keep every rating");
      rng = start;  // the same carve for every weight
      for (EaseTrial t : validate_ease(x, lambdas, dropouts, fraction, rng, relevant)) {
        t.weight = w;
        fit.validation.push_back(t);
        if (t.ndcg > best) {
          best = t.ndcg;
          fit.weight = w;
          fit.lambda = t.lambda;
          fit.dropout = t.dropout;
        }
      }
    }
  }
  fit.map = solve_ease_map(input(static_cast<float>(fit.weight)), fit.lambda, fit.dropout);
  return fit;
}

}  // namespace aekit
