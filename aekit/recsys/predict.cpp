#include <aekit/recsys/predict.h>

#include <aekit/core/error.h>
#include <aekit/recsys/ease_vae.h>

#include <algorithm>

namespace aekit {

// Dense rows of a CSR matrix, chunk by chunk through the network's batched reconstruct.
Tensor reconstruct_rows(Autoencoder& net, const CsrMatrix& m, std::span<const int64_t> rows) {
  Tensor x({static_cast<int64_t>(rows.size()), m.cols()});
  for (size_t b = 0; b < rows.size(); ++b) {
    const auto cols = m.row_cols(rows[b]);
    const auto vals = m.row_values(rows[b]);
    float* dst = x.row(static_cast<int64_t>(b));
    for (size_t k = 0; k < cols.size(); ++k) dst[cols[k]] = vals[k];
  }
  return net.reconstruct(x.view());
}

Tensor predict_users(Recommender& model, std::span<const int64_t> users) {
  Autoencoder& net = *model.network.network;
  const CsrMatrix input = network_input(model);
  if (!model.item_rows) {
    Tensor scores = reconstruct_rows(net, input, users);
    if (!model.ease.empty()) mix_with_ease(model, model.train.by_user, users, scores);
    return scores;
  }
  // Item rows: reconstruct every item's column of users, then read the listed users' columns.
  const CsrMatrix by_item = input.transpose();
  const int64_t items = by_item.rows();
  Tensor scores({static_cast<int64_t>(users.size()), items});
  constexpr int64_t kChunk = 1024;
  std::vector<int64_t> rows;
  for (int64_t begin = 0; begin < items; begin += kChunk) {
    rows.resize(static_cast<size_t>(std::min(kChunk, items - begin)));
    for (size_t k = 0; k < rows.size(); ++k) rows[k] = begin + static_cast<int64_t>(k);
    const Tensor recon = reconstruct_rows(net, by_item, rows);
    for (size_t b = 0; b < users.size(); ++b)
      for (size_t k = 0; k < rows.size(); ++k)
        scores.row(static_cast<int64_t>(b))[rows[k]] = recon.row(static_cast<int64_t>(k))[users[b]];
  }
  return scores;
}

PairPredictions predict_pairs(Recommender& model, std::span<const TestPair> pairs) {
  const CsrMatrix& r = model.train.by_user;
  std::vector<int64_t> item_count(static_cast<size_t>(r.cols()), 0);
  for (int32_t c : r.col_idx()) ++item_count[static_cast<size_t>(c)];
  auto cold = [&](const TestPair& p) {
    if (p.user < 0 || p.item < 0) return true;
    return model.cold_fallback && (r.row_nnz(p.user) == 0 || item_count[static_cast<size_t>(p.item)] == 0);
  };
  std::vector<int64_t> users;
  for (const TestPair& p : pairs)
    if (!cold(p)) users.push_back(p.user);
  std::sort(users.begin(), users.end());
  users.erase(std::unique(users.begin(), users.end()), users.end());
  const Tensor scores = predict_users(model, users);

  PairPredictions out;
  out.values.reserve(pairs.size());
  for (const TestPair& p : pairs) {
    if (cold(p)) {
      out.values.push_back(static_cast<float>(model.baseline.predict(p.user, p.item)));
      ++out.fallback;
      continue;
    }
    const auto row = std::lower_bound(users.begin(), users.end(), p.user) - users.begin();
    out.values.push_back(scores.row(row)[p.item]);
  }
  return out;
}

Tensor predict_new_user(Recommender& model, std::span<const CsrEntry> ratings) {
  if (model.item_rows)
    fail("fold-in needs a user-based model (autorec-u, seed-sae, seed-sae-fixed, ease); this ", model.kind,
         " model reconstructs items, whose input is a column of the training users");
  Tensor x({1, model.train.items.size()});
  for (const CsrEntry& e : network_input(model, ratings)) x[e.col] = e.value;
  Tensor scores = model.network.network->reconstruct(x.view());
  if (!model.ease.empty()) {
    std::vector<CsrEntry> row(ratings.begin(), ratings.end());
    for (CsrEntry& e : row) e.row = 0;
    std::sort(row.begin(), row.end(), [](const CsrEntry& a, const CsrEntry& b) { return a.col < b.col; });
    const int64_t only[] = {0};
    mix_with_ease(model, CsrMatrix::from_entries(1, model.train.items.size(), std::move(row)), only, scores);
  }
  return scores;
}

}  // namespace aekit
