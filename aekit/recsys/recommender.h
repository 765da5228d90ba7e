#pragma once
// A trained recommender as saved and loaded. An autoencoder model file (trained_model.h) plus
//   metadata "recommender"   JSON: kind, item_rows, cold_fallback, rating_range, the user and
//                            item id maps (ascending external ids), the bias baseline and, for
//                            implicit models, implicit_threshold (and normalise_rows and
//                            low_rating_weight when set)
//   tensor "recommender.ratings"  n x 3 (user index, item index, rating): the training ratings,
//                            which are the network's input at prediction time
//   ease-vae (ease_vae.h): metadata "mix_weight" in the recommender JSON and EASE's map beside
//                            the network: tensor "recommender.ease_b" (items x items) or, solved
//                            factored, "recommender.ease.<buffer>" (ease_map.h)
// so every verb takes and prints the original ids and needs no other file.
#include <aekit/models/trained_model.h>
#include <aekit/recsys/bias_model.h>
#include <aekit/recsys/ease_map.h>
#include <aekit/recsys/rating_matrix.h>

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace aekit {

struct Recommender {
  std::string kind;          // recommender_kinds.h's names
  bool item_rows = false;    // the network reconstructs items (a column of users) rather than users
  bool cold_fallback = true;  // a pair whose user or item has no training rating gets the baseline
  float rating_low = 0, rating_high = 0;  // predictions are clipped to this range for RMSE and MAE
  // Implicit models (ease) see the training ratings as interactions: 1 where a rating is at least
  // this, nothing below it. They score items for ranking and predict no ratings.
  std::optional<float> implicit_threshold;
  // ease, edlae, mult-dae and mult-vae (--low-rating-weight): a rating under implicit_threshold
  // is an interaction of this weight instead of none (0: none).
  float low_rating_weight = 0;
  // The network reads each row scaled to unit norm (mult-dae; row_normalisation.h).
  bool normalise_rows = false;
  RatingMatrix train;        // id maps and training ratings, users x items
  BiasModel baseline;
  TrainedModel network;
  // ease-vae (ease_vae.h): EASE's B (dense or factored) beside the network, and the network's
  // share a of the per-user standardised mix of the two parts' scores. Empty for every other kind.
  EaseMap ease;
  float mix_weight = 0;
};

// What the network reads: the training ratings (users x items), or for an implicit model the
// interactions they stand for, each row scaled to unit norm when normalise_rows is set.
CsrMatrix network_input(const Recommender& model);
// The same for ratings given at prediction time (fold-in).
std::vector<CsrEntry> network_input(const Recommender& model, std::span<const CsrEntry> ratings);
// The interactions before any row scaling: the multinomial models' targets.
std::vector<CsrEntry> interactions(const Recommender& model, std::span<const CsrEntry> ratings);

void save_recommender(const std::string& path, Recommender& model);
// InputError naming the file when it is not a recommender or is damaged.
Recommender load_recommender(const std::string& path);
// Whether a model file holds a recommender (so verbs can tell the two kinds apart).
bool is_recommender_file(const std::string& path);

}  // namespace aekit
