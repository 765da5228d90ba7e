#include <aekit/recsys/score_mix.h>

#include <aekit/core/error.h>

#include <algorithm>
#include <cmath>

namespace aekit {

namespace {

// Float scores computed in different orders differ by a few units in the last place (2^-24 of
// their size each): a deviation under this fraction of the largest score is rounding, not spread.
constexpr double kEqualScores = 1e-5;

struct Moments {
  double mean = 0, scale = 1;
};

Moments moments_over(std::span<const float> scores, std::span<const uint8_t> candidates) {
  double sum = 0;
  int64_t n = 0;
  for (size_t i = 0; i < scores.size(); ++i)
    if (candidates[i]) {
      sum += scores[i];
      ++n;
    }
  Moments m;
  if (n == 0) return m;
  m.mean = sum / static_cast<double>(n);
  double squares = 0, largest = 0;
  for (size_t i = 0; i < scores.size(); ++i)
    if (candidates[i]) {
      squares += (scores[i] - m.mean) * (scores[i] - m.mean);
      largest = std::max(largest, std::abs(static_cast<double>(scores[i])));
    }
  const double deviation = std::sqrt(squares / static_cast<double>(n));
  // Scores equal but for float rounding are equal: their differences are noise, not a ranking.
  if (deviation > kEqualScores * largest && std::isfinite(deviation)) m.scale = 1.0 / deviation;
  return m;
}

// (1 - a) z(ease) + a z(vae), from each part's moments over the candidates.
void mix_with_moments(std::span<const float> ease, const Moments& e, std::span<const float> vae, const Moments& v,
                      double vae_weight, std::span<float> out) {
  const double we = (1.0 - vae_weight) * e.scale, wv = vae_weight * v.scale;
  for (size_t i = 0; i < out.size(); ++i)
    out[i] = static_cast<float>(we * (ease[i] - e.mean) + wv * (vae[i] - v.mean));
}

}  // namespace

void standardise_over_candidates(std::span<float> scores, std::span<const uint8_t> candidates) {
  AEKIT_ASSERT(scores.size() == candidates.size(), "one candidate flag per score");
  const Moments m = moments_over(scores, candidates);
  for (float& s : scores) s = static_cast<float>((s - m.mean) * m.scale);
}

void mix_standardised(std::span<const float> ease, std::span<const float> vae, std::span<const uint8_t> candidates,
                      double vae_weight, std::span<float> out) {
  AEKIT_ASSERT(ease.size() == candidates.size() && vae.size() == candidates.size() && out.size() == candidates.size(),
               "the mix needs both parts' scores and a candidate flag for every item");
  mix_with_moments(ease, moments_over(ease, candidates), vae, moments_over(vae, candidates), vae_weight, out);
}

MixValidation::MixValidation(std::vector<double> weights)
    : weights_(std::move(weights)), accumulators_(weights_.size()) {
  AEKIT_ASSERT(!weights_.empty(), "a mix validation needs a weight to score");
}

void MixValidation::add(const Tensor& ease, const Tensor& vae, std::span<const uint8_t> candidates,
                        std::span<const std::vector<int64_t>> relevant) {
  const int64_t rows = ease.rows(), items = ease.cols();
  AEKIT_ASSERT(vae.rows() == rows && vae.cols() == items && static_cast<int64_t>(relevant.size()) == rows &&
                   static_cast<int64_t>(candidates.size()) == rows * items,
               "MixValidation::add: the parts' scores, candidates and relevant items disagree in shape");
  const int64_t k = kRankingCutoffs[std::size(kRankingCutoffs) - 1];
  std::vector<float> mixed(static_cast<size_t>(items));
  for (int64_t r = 0; r < rows; ++r) {
    const auto allowed = candidates.subspan(static_cast<size_t>(r * items), static_cast<size_t>(items));
    const std::span<const float> e(ease.row(r), static_cast<size_t>(items)), v(vae.row(r), static_cast<size_t>(items));
    const auto& held = relevant[static_cast<size_t>(r)];
    if (held.empty()) continue;  // nothing to find: not scored, as the evaluation skips such users
    // The parts' moments do not depend on the weight: once a row, not once a weight.
    const Moments em = moments_over(e, allowed), vm = moments_over(v, allowed);
    for (size_t w = 0; w < weights_.size(); ++w) {
      mix_with_moments(e, em, v, vm, weights_[w], mixed);
      accumulators_[w].add(top_k(mixed, allowed, k), held, static_cast<int64_t>(held.size()));
    }
  }
}

std::vector<MixTrial> MixValidation::trials() const {
  std::vector<MixTrial> out;
  for (size_t w = 0; w < weights_.size(); ++w)
    out.push_back({weights_[w], accumulators_[w].result().ndcg[std::size(kRankingCutoffs) - 1]});
  return out;
}

MixTrial MixValidation::best() const { return best_mix(trials()); }

MixTrial best_mix(std::span<const MixTrial> trials) {
  AEKIT_ASSERT(!trials.empty(), "best_mix needs a trial");
  MixTrial best = trials.front();
  for (const MixTrial& t : trials)
    if (t.ndcg > best.ndcg) best = t;
  return best;
}

}  // namespace aekit
