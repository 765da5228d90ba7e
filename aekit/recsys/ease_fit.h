#pragma once
// Fitting EASE and EDLAE (ease.h) as `aekit train --model ease|edlae` does: lambda (and EDLAE's
// dropout, given a list) chosen on validation, then B solved on every interaction, and B held by
// an ordinary Autoencoder so that the model file, prediction, fold-in and the verbs treat it like
// any recommender network.
//   validation  `fraction` of each user's interactions (rounded; at least one left to fit on) are
//               held out, B is solved on the rest for each pair of the grid, and each user's
//               held-out items are ranked among the items they have not interacted with (the
//               evaluation protocol, recommender_eval.h); the (lambda, dropout) pair of the best
//               NDCG@100 wins
//   network     items -> items: one dense layer (weight B^T, zero bias, identity activation), or
//               with fewer users than items the factored_ease layer (ease_map.h), and the
//               identity (dropout with p = 0) as the decoder: EASE's code is its output
#include <aekit/core/csr_matrix.h>
#include <aekit/core/rng.h>
#include <aekit/core/tensor.h>
#include <aekit/models/autoencoder.h>
#include <aekit/recsys/ease_map.h>

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace aekit {

// A comma-separated list of finite numbers, each accepted by `ok`; InputError "FLAG: 'ITEM' is not
// WHAT" for the first that is not (an empty item included).
std::vector<double> parse_number_list(const std::string& text, const char* flag, const char* what,
                                      const std::function<bool(double)>& ok);
// --ease-lambda: "auto" (20, 50, 100, 200, 500, 1000), one value or a comma-separated list;
// InputError unless every value is a positive number.
std::vector<double> parse_ease_lambdas(const std::string& text);
// --low-rating-weight (weighted_ease.h): "0" (off: the ratings under the threshold are dropped),
// "auto" (0.2, 0.4, 0.6, 0.8), one weight or a comma-separated list of weights in (0, 1];
// InputError otherwise.
std::vector<double> parse_low_rating_weights(const std::string& text);

struct EaseTrial {
  double lambda = 0;
  double dropout = 0;
  double weight = 0;  // --low-rating-weight (weighted_ease.h); 0: the low ratings are not interactions
  double ndcg = 0;    // NDCG@100 on the validation carve
};

struct EaseFit {
  double lambda = 0;
  double dropout = 0;                  // 0: EASE
  double weight = 0;                   // as EaseTrial's
  std::vector<EaseTrial> validation;  // each pair tried
  EaseMap map;                         // B, solved on all of x with `lambda` and `dropout`
};

// Every (lambda, dropout) pair of the two lists is tried; with one pair or no validation (fraction
// 0), B is solved directly with the first. `relevant`: empty, or one flag per entry of x in its
// row-major order (see validation above).
EaseFit fit_ease(const CsrMatrix& x, std::span<const double> lambdas, std::span<const double> dropouts, float fraction,
                 Rng& rng, std::span<const uint8_t> relevant = {});
// fit_ease's validation alone: every pair scored on one carve of x (fraction > 0), in the order
// dropouts then lambdas. The carve depends only on x's pattern and rng, so inputs with the same
// pattern (other weights) are carved alike from equal rngs.
std::vector<EaseTrial> validate_ease(const CsrMatrix& x, std::span<const double> lambdas,
                                     std::span<const double> dropouts, float fraction, Rng& rng,
                                     std::span<const uint8_t> relevant = {});
// EASE: dropout 0.
EaseFit fit_ease(const CsrMatrix& x, std::span<const double> lambdas, float fraction, Rng& rng);

// The Autoencoder that computes x B (the map is copied into it).
std::unique_ptr<Autoencoder> ease_network(const EaseMap& map, uint64_t seed);

}  // namespace aekit
