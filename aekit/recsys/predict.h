#pragma once
// What a trained recommender predicts: a user's score for every item (the network's
// reconstruction of the user's training ratings; for item-based models the item rows'
// reconstructions read at the user's column), ratings for test pairs with the baseline fallback,
// and scores for a new user from their own ratings (fold-in, user-based models).
#include <aekit/recsys/recommender.h>

#include <span>
#include <vector>

namespace aekit {

// The network's reconstructions of the listed rows of `m`, densified, as one batch.
Tensor reconstruct_rows(Autoencoder& net, const CsrMatrix& m, std::span<const int64_t> rows);

// users.size() x items: the predicted rating of each listed user for every item.
Tensor predict_users(Recommender& model, std::span<const int64_t> users);

// Predictions for test pairs, and how many of them came from the baseline fallback (an unknown
// user or item, or with cold_fallback one without training ratings).
struct PairPredictions {
  std::vector<float> values;
  int64_t fallback = 0;
};
PairPredictions predict_pairs(Recommender& model, std::span<const TestPair> pairs);

// 1 x items: scores for someone who rated `ratings` (item index, rating); InputError for an
// item-based model, whose input is an item's column of users and cannot take a new user.
Tensor predict_new_user(Recommender& model, std::span<const CsrEntry> ratings);

}  // namespace aekit
