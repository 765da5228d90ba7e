#pragma once
// ease-vae: one input, two decoders. A user's interactions go through EASE's linear item-item map
// with a zero diagonal (ease.h, solved in closed form) and, beside it, through Mult-VAE's
// nonlinear bottleneck (the mult-vae network, trained as `--model mult-vae` trains it); the two
// parts' scores are standardised per user over the candidate items and mixed with weight a
// (score_mix.h): (1 - a) EASE + a Mult-VAE. A full-rank linear part beside a low-rank nonlinear
// one, in the manner of a wide-and-deep autoencoder.
// Fitting (recommender_job.cpp): the low-rating weight W (ease-vae's default: ratings under the
// positive threshold weighted W, chosen among --low-rating-weight auto's) is chosen with a lambda on
// EASE's own validation carve as `--model ease` chooses it, and the network trains on the same
// weighted interactions on its validation carve (best epoch) as mult-vae's. Then, on that same
// carve, EASE is solved on the kept interactions for every lambda of --ease-lambda, and every pair
// (lambda, a of --mix-weight) is scored by NDCG@100 of the held-out relevant interactions (the
// network's validation relevance); the best pair is kept, B is solved with its lambda on every
// training interaction, and the network is refitted on all of training (--refit). The model file
// holds both parts (recommender.h); every verb scores through both.
#include <aekit/core/csr_matrix.h>
#include <aekit/models/autoencoder.h>
#include <aekit/recsys/recommender.h>
#include <aekit/recsys/score_mix.h>

#include <span>
#include <string>
#include <vector>

namespace aekit {

inline constexpr const char* kEaseVaeKind = "ease-vae";

// --mix-weight: "auto" (0, 0.1, ..., 0.8, 0.85, 0.9, 0.95, 1), one weight or a comma-separated
// list of weights in [0, 1]; InputError otherwise.
std::vector<double> parse_mix_weights(const std::string& text);

// Every pair (lambda, a) scored on the network's carve: `kept` and `held` are its interactions
// (users x items, as ImplicitRows carved them; a held-out entry of weight 1 is relevant), `vae` the
// network at its best epoch on `kept`; EASE is solved on `kept` once for each lambda. The trials
// run through the lambdas, and for each through the weights, in the order given.
std::vector<MixTrial> validate_mix(Autoencoder& vae, const CsrMatrix& kept, const CsrMatrix& held,
                                   std::span<const double> lambdas, std::span<const double> weights);

// Predictions: `scores` holds the network's scores for the listed rows of `ratings` (users x
// items, the raw ratings: training or fold-in) and becomes the mix of the two parts.
void mix_with_ease(const Recommender& model, const CsrMatrix& ratings, std::span<const int64_t> rows, Tensor& scores);

}  // namespace aekit
