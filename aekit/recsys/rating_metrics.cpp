#include <aekit/recsys/rating_metrics.h>

#include <aekit/core/error.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace aekit {

RatingMetrics rating_metrics(std::span<const TestPair> pairs, std::span<const float> predicted, float low,
                             float high) {
  AEKIT_ASSERT(pairs.size() == predicted.size(), "one prediction per pair");
  RatingMetrics m;
  m.pairs = static_cast<int64_t>(pairs.size());
  if (pairs.empty()) return m;
  double se = 0, ae = 0;
  std::map<int64_t, std::pair<double, int64_t>> per_user;  // unknown users (-1) form one group
  for (size_t k = 0; k < pairs.size(); ++k) {
    const double clipped = std::clamp(predicted[k], low, high);
    const double d = clipped - pairs[k].rating;
    se += d * d;
    ae += std::fabs(d);
    const double raw = static_cast<double>(predicted[k]) - pairs[k].rating;
    auto& [sum, count] = per_user[pairs[k].user];
    sum += raw * raw;
    ++count;
  }
  m.rmse = std::sqrt(se / static_cast<double>(pairs.size()));
  m.mae = ae / static_cast<double>(pairs.size());
  double metric = 0;
  for (const auto& [user, sc] : per_user) metric += std::sqrt(sc.first / static_cast<double>(sc.second));
  m.users = static_cast<int64_t>(per_user.size());
  m.seed_user_metric = metric / static_cast<double>(per_user.size());
  return m;
}

}  // namespace aekit
