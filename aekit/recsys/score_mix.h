#pragma once
// ease-vae's combination of two recommenders' scores (ease_vae.h). A user's scores from each part
// are standardised over the user's candidate items (those a ranking may list: seen in training and
// not rated by the user) to mean 0 and deviation 1 (the population deviation), and then mixed:
//   mixed = (1 - a) z(EASE) + a z(VAE)
// The two parts score on unrelated scales (EASE reconstructs interactions, Mult-VAE gives logits),
// so a fixed a weighs their rankings alike for every user. The items outside the candidates get the
// same affine map. A user with no candidates, or whose candidate scores are all equal (their
// deviation under 1e-5 of the largest magnitude: float rounding), is only centred.
// The mix weight a is chosen on a validation carve (MixValidation): NDCG@100 of each user's
// held-out relevant items ranked among the candidates, as the evaluation ranks (ranking_metrics.h).
#include <aekit/core/tensor.h>
#include <aekit/recsys/ranking_metrics.h>

#include <cstdint>
#include <span>
#include <vector>

namespace aekit {

// `scores` standardised in place over the entries whose `candidates` flag is set.
void standardise_over_candidates(std::span<float> scores, std::span<const uint8_t> candidates);

// out = (1 - vae_weight) z(ease) + vae_weight z(vae), z as standardise_over_candidates; out may
// alias neither input.
void mix_standardised(std::span<const float> ease, std::span<const float> vae, std::span<const uint8_t> candidates,
                      double vae_weight, std::span<float> out);

struct MixTrial {
  double weight = 0;  // a: the VAE part's share
  double ndcg = 0;    // NDCG@100 on the carve
  double lambda = 0;  // EASE's lambda (ease-vae's joint choice, ease_vae.h); 0 where one EASE map was given
};

// The trial of the highest NDCG@100; ties go to the earlier trial. `trials` is not empty.
MixTrial best_mix(std::span<const MixTrial> trials);

class MixValidation {
 public:
  explicit MixValidation(std::vector<double> weights);
  // One chunk of users: their rows of each part's scores (rows x items, alike), their candidate
  // flags (rows x items, row-major) and each one's relevant held-out items (sorted).
  void add(const Tensor& ease, const Tensor& vae, std::span<const uint8_t> candidates,
           std::span<const std::vector<int64_t>> relevant);
  // One per weight, in the order given.
  std::vector<MixTrial> trials() const;
  // The trial of the highest NDCG@100; ties go to the earlier weight.
  MixTrial best() const;

 private:
  std::vector<double> weights_;
  std::vector<RankingAccumulator> accumulators_;
};

}  // namespace aekit
