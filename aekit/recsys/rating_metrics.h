#pragma once
// Rating-prediction metrics on test pairs.
//   rmse, mae          over every pair, predictions clipped to the rating range
//   seed_user_metric   the seeds' test figure: the mean over users of
//                      sqrt(mse * items / rated) = sqrt(mean squared error over the user's test
//                      ratings), predictions as the network gives them (the seeds do not clip)
#include <cstdint>
#include <span>

namespace aekit {

struct TestPair {
  int64_t user;  // dense indices in the model's maps; -1 when the id is unknown
  int64_t item;
  float rating;
};

struct RatingMetrics {
  double rmse = 0, mae = 0, seed_user_metric = 0;
  int64_t pairs = 0, users = 0;
};

// predicted[k] is the prediction for pairs[k]; pairs of one user need not be adjacent.
RatingMetrics rating_metrics(std::span<const TestPair> pairs, std::span<const float> predicted, float low,
                             float high);

}  // namespace aekit
