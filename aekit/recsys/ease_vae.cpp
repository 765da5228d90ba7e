#include <aekit/recsys/ease_vae.h>

#include <aekit/core/error.h>
#include <aekit/recsys/ease.h>
#include <aekit/recsys/ease_fit.h>
#include <aekit/recsys/predict.h>
#include <aekit/recsys/row_normalisation.h>

#include <algorithm>
#include <cmath>

namespace aekit {

namespace {

constexpr size_t kChunk = 256;

// Flags, row-major, of the items each listed row may be recommended: in `universe` and not in
// the row of `seen`.
std::vector<uint8_t> candidates_of(const std::vector<uint8_t>& universe, const CsrMatrix& seen,
                                   std::span<const int64_t> rows) {
  std::vector<uint8_t> out, allowed;
  out.reserve(rows.size() * universe.size());
  for (int64_t r : rows) {
    candidates_of_row(universe, seen, r, allowed);
    out.insert(out.end(), allowed.begin(), allowed.end());
  }
  return out;
}

}  // namespace

std::vector<double> parse_mix_weights(const std::string& text) {
  if (text == "auto") return {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1};
  return parse_number_list(text, "--mix-weight", "a weight in [0, 1] (give auto, a weight, or a list like 0.8,0.9)",
                           [](double v) { return v >= 0 && v <= 1; });
}

std::vector<MixTrial> validate_mix(Autoencoder& vae, const CsrMatrix& kept, const CsrMatrix& held,
                                   std::span<const double> lambdas, std::span<const double> weights) {
  AEKIT_ASSERT(!lambdas.empty() && !weights.empty(), "validate_mix needs a lambda and a weight");
  const CsrMatrix input = l2_normalised_rows(kept);
  // The network's validation ranks the items of the whole carve (ImplicitRows): kept or held out.
  std::vector<uint8_t> universe = columns_with_entries(kept);
  for (int32_t c : held.col_idx()) universe[static_cast<size_t>(c)] = 1;
  std::vector<int64_t> rows;
  std::vector<std::vector<int64_t>> relevant;
  for (int64_t r = 0; r < held.rows(); ++r) {
    std::vector<int64_t> hits;
    const auto cols = held.row_cols(r);
    const auto vals = held.row_values(r);
    for (size_t e = 0; e < cols.size(); ++e)
      if (vals[e] >= 1.0f) hits.push_back(cols[e]);
    if (hits.empty()) continue;  // as the network's validation: a row kept empty is scored too
    std::sort(hits.begin(), hits.end());
    rows.push_back(r);
    relevant.push_back(std::move(hits));
  }
  std::vector<MixTrial> trials;
  // One lambda at a time: one EASE map held at once (items^2 floats when solved dense), the
  // network's scores computed again for each (a forward pass over the carve's users).
  for (double lambda : lambdas) {
    const EaseMap b = solve_ease_map(kept, lambda);
    MixValidation validation({weights.begin(), weights.end()});
    for (size_t begin = 0; begin < rows.size(); begin += kChunk) {
      const size_t n = std::min(kChunk, rows.size() - begin);
      const auto chunk = std::span(rows).subspan(begin, n);
      const Tensor vae_scores = reconstruct_rows(vae, input, chunk);
      validation.add(b.scores(kept, chunk), vae_scores, candidates_of(universe, kept, chunk),
                     std::span(relevant).subspan(begin, n));
    }
    for (MixTrial t : validation.trials()) {
      t.lambda = lambda;
      trials.push_back(t);
    }
  }
  return trials;
}

void mix_with_ease(const Recommender& model, const CsrMatrix& ratings, std::span<const int64_t> rows, Tensor& scores) {
  const int64_t items = model.train.items.size();
  AEKIT_ASSERT(model.ease.items() == items && scores.cols() == items &&
                   scores.rows() == static_cast<int64_t>(rows.size()) && ratings.cols() == items,
               "mix_with_ease: the parts disagree in shape");
  const CsrMatrix input = CsrMatrix::from_entries(ratings.rows(), items, interactions(model, ratings.entries()));
  const Tensor ease = model.ease.scores(input, rows);
  const std::vector<uint8_t> candidates =
      candidates_of(columns_with_entries(model.train.by_user), ratings, rows);
  std::vector<float> vae(static_cast<size_t>(items));
  for (int64_t r = 0; r < scores.rows(); ++r) {
    const std::span<float> out(scores.row(r), static_cast<size_t>(items));
    std::copy(out.begin(), out.end(), vae.begin());
    mix_standardised(std::span<const float>(ease.row(r), static_cast<size_t>(items)), vae,
                     std::span(candidates).subspan(static_cast<size_t>(r * items), static_cast<size_t>(items)),
                     model.mix_weight, out);
  }
}

}  // namespace aekit
