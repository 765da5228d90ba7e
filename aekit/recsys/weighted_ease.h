#pragma once
// EASE and EDLAE on weighted interactions (--low-rating-weight, with --interaction-threshold): a
// rating under the threshold is an interaction of weight W, one at or above it of weight 1. W and
// lambda (and EDLAE's dropout) are chosen together on one validation carve (ease_fit.h), scored by
// NDCG@100 on the carve's held-out positives (rating >= positive_threshold, the relevance the test
// reports): on every held-out interaction a held-out rating of 1 would count as a hit, and weight 1
// (every rating alike) would always win. Every weight shares the same carve (the pattern of the
// interactions does not depend on W), so the trials are comparable. The option's parser,
// parse_low_rating_weights, is beside --ease-lambda's in ease_fit.h.
#include <aekit/core/csr_matrix.h>
#include <aekit/core/rng.h>
#include <aekit/recsys/ease_fit.h>

#include <functional>
#include <span>

namespace aekit {

// The weights' choice and the solve. `ratings`: the training ratings, users x items; `input(w)`:
// the interactions with the low ratings weighted w, which have the ratings' pattern. The result's
// `weight` is the chosen W, and its trials carry theirs.
EaseFit fit_weighted_ease(const CsrMatrix& ratings, const std::function<CsrMatrix(float)>& input,
                          std::span<const double> weights, std::span<const double> lambdas,
                          std::span<const double> dropouts, float fraction, float positive_threshold, Rng& rng);

}  // namespace aekit
