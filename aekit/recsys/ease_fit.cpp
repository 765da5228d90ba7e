#include <aekit/recsys/ease_fit.h>

#include <aekit/core/error.h>
#include <aekit/recsys/ease.h>
#include <aekit/recsys/ranking_metrics.h>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace aekit {

namespace {

struct Carve {
  CsrMatrix fit;
  std::vector<std::vector<int64_t>> held;  // per row, the held-out columns that count, ascending
};

// `relevant` empty: every held-out column counts; otherwise those whose entry's flag is set (the
// entry leaves the fit either way).
Carve carve(const CsrMatrix& x, float fraction, Rng& rng, std::span<const uint8_t> relevant) {
  AEKIT_ASSERT(relevant.empty() || static_cast<int64_t>(relevant.size()) == x.nnz(),
               "one relevance flag per interaction");
  Carve c;
  c.held.resize(static_cast<size_t>(x.rows()));
  std::vector<CsrEntry> kept;
  std::vector<std::pair<CsrEntry, bool>> row;
  int64_t offset = 0;
  for (int64_t r = 0; r < x.rows(); ++r) {
    row.clear();
    const auto cols = x.row_cols(r);
    const auto vals = x.row_values(r);
    for (size_t k = 0; k < cols.size(); ++k)
      row.push_back({{r, cols[k], vals[k]}, relevant.empty() || relevant[static_cast<size_t>(offset) + k] != 0});
    offset += static_cast<int64_t>(cols.size());
    const auto n = static_cast<int64_t>(row.size());
    const int64_t held = std::min<int64_t>(std::lround(fraction * static_cast<double>(n)), n - 1);
    shuffle(row.begin(), row.end(), rng);
    for (int64_t k = 0; k < n; ++k) {
      const auto& [entry, counts] = row[static_cast<size_t>(k)];
      if (k >= held) kept.push_back(entry);
      else if (counts) c.held[static_cast<size_t>(r)].push_back(entry.col);
    }
    std::sort(c.held[static_cast<size_t>(r)].begin(), c.held[static_cast<size_t>(r)].end());
  }
  c.fit = CsrMatrix::from_entries(x.rows(), x.cols(), std::move(kept));
  return c;
}

// NDCG@100 of the held-out columns ranked among the columns of x that a row has not kept.
double validation_ndcg(const EaseMap& b, const CsrMatrix& x, const Carve& c) {
  const std::vector<uint8_t> universe = columns_with_entries(x);
  std::vector<int64_t> rows;
  for (int64_t r = 0; r < x.rows(); ++r)
    if (!c.held[static_cast<size_t>(r)].empty()) rows.push_back(r);
  RankingAccumulator acc;
  constexpr size_t kChunk = 256;
  std::vector<uint8_t> allowed;
  for (size_t begin = 0; begin < rows.size(); begin += kChunk) {
    const auto chunk = std::span(rows).subspan(begin, std::min(kChunk, rows.size() - begin));
    const Tensor scores = b.scores(c.fit, chunk);
    for (size_t k = 0; k < chunk.size(); ++k) {
      candidates_of_row(universe, c.fit, chunk[k], allowed);
      const auto ranked = top_k(std::span(scores.row(static_cast<int64_t>(k)), static_cast<size_t>(x.cols())), allowed,
                                kRankingCutoffs[std::size(kRankingCutoffs) - 1]);
      const auto& held = c.held[static_cast<size_t>(chunk[k])];
      acc.add(ranked, held, static_cast<int64_t>(held.size()));
    }
  }
  return acc.result().ndcg[std::size(kRankingCutoffs) - 1];
}

}  // namespace

std::vector<double> parse_number_list(const std::string& text, const char* flag, const char* what,
                                      const std::function<bool(double)>& ok) {
  std::vector<double> out;
  size_t begin = 0;
  while (begin <= text.size()) {
    const size_t end = std::min(text.find(',', begin), text.size());
    const std::string item = text.substr(begin, end - begin);
    double v = 0;
    const auto [ptr, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
    if (item.empty() || ec != std::errc() || ptr != item.data() + item.size() || !std::isfinite(v) || !ok(v))
      fail(flag, ": '", item, "' is not ", what);
    out.push_back(v);
    begin = end + 1;
  }
  return out;
}

std::vector<double> parse_ease_lambdas(const std::string& text) {
  if (text == "auto" || text.empty()) return {20, 50, 100, 200, 500, 1000};
  return parse_number_list(text, "--ease-lambda", "a positive number (give auto, a value, or a list like 100,200,500)",
                           [](double v) { return v > 0; });
}

std::vector<double> parse_low_rating_weights(const std::string& text) {
  if (text == "auto") return {0.2, 0.4, 0.6, 0.8};
  if (text.empty() || text == "0") return {0.0};
  return parse_number_list(text, "--low-rating-weight",
                           "a weight in (0, 1] (give 0 for none, auto, a weight, or a list like 0.3,0.5)",
                           [](double v) { return v > 0 && v <= 1; });
}

std::vector<EaseTrial> validate_ease(const CsrMatrix& x, std::span<const double> lambdas,
                                     std::span<const double> dropouts, float fraction, Rng& rng,
                                     std::span<const uint8_t> relevant) {
  AEKIT_ASSERT(fraction > 0, "a validation carve needs a fraction");
  const Carve c = carve(x, fraction, rng, relevant);
  std::vector<EaseTrial> trials;
  for (double dropout : dropouts)
    for (double lambda : lambdas) {
      EaseTrial t;
      t.lambda = lambda;
      t.dropout = dropout;
      t.ndcg = validation_ndcg(solve_ease_map(c.fit, lambda, dropout), x, c);
      trials.push_back(t);
    }
  return trials;
}

EaseFit fit_ease(const CsrMatrix& x, std::span<const double> lambdas, std::span<const double> dropouts, float fraction,
                 Rng& rng, std::span<const uint8_t> relevant) {
  AEKIT_ASSERT(!lambdas.empty() && !dropouts.empty(), "fit_ease needs a lambda and a dropout");
  EaseFit fit;
  fit.lambda = lambdas.front();
  fit.dropout = dropouts.front();
  if (lambdas.size() * dropouts.size() > 1 && fraction > 0) {
    fit.validation = validate_ease(x, lambdas, dropouts, fraction, rng, relevant);
    double best = -1;
    for (const EaseTrial& t : fit.validation)
      if (t.ndcg > best) {
        best = t.ndcg;
        fit.lambda = t.lambda;
        fit.dropout = t.dropout;
      }
  }
  fit.map = solve_ease_map(x, fit.lambda, fit.dropout);
  return fit;
}

EaseFit fit_ease(const CsrMatrix& x, std::span<const double> lambdas, float fraction, Rng& rng) {
  const double none[] = {0.0};
  return fit_ease(x, lambdas, none, fraction, rng);
}

std::unique_ptr<Autoencoder> ease_network(const EaseMap& map, uint64_t seed) {
  const int64_t n = map.items();
  ModelSpec spec;
  spec.input_shape = {n};
  spec.decoder = {LayerSpec{"dropout", {{"p", 0.0}}}};
  if (FactoredEase* f = map.factors()) {
    spec.encoder = {LayerSpec{"factored_ease", {{"users", f->users()}, {"interactions", f->interaction_count()}}}};
    auto net = std::make_unique<Autoencoder>(spec, seed);
    auto& layer = dynamic_cast<FactoredEase&>(net->layer(0));
    std::vector<Param> to = layer.buffers(), from = f->buffers();
    for (size_t k = 0; k < to.size(); ++k) *to[k].value = *from[k].value;
    layer.check_stored();
    return net;
  }
  spec.encoder = {LayerSpec{"dense", {{"out", n}, {"activation", "identity"}}}};
  auto net = std::make_unique<Autoencoder>(spec, seed);
  const Tensor& b = map.dense();
  Dense& dense = *net->dense_layers().front();
  // y = x W^T with W = B^T: W[j][i] = B[i][j].
  Tensor& w = dense.weight();
  constexpr int64_t kBlock = 64;
#pragma omp parallel for schedule(static)
  for (int64_t jb = 0; jb < n; jb += kBlock)
    for (int64_t ib = 0; ib < n; ib += kBlock)
      for (int64_t j = jb; j < std::min(jb + kBlock, n); ++j)
        for (int64_t i = ib; i < std::min(ib + kBlock, n); ++i) w.row(j)[i] = b.row(i)[j];
  dense.bias().fill(0.0f);
  return net;
}

}  // namespace aekit
