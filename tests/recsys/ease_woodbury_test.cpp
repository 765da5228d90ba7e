// EASE solved through the users (ease_woodbury.h, the factored_ease layer, ease_map.h) against the
// dense items x items solve (ease.h), on small random matrices with fewer users than items:
// weighted interactions, items nobody interacted with, a user with no interactions, EASE and
// EDLAE. Then the layer's properties: B's zero diagonal, its backward as the transpose map, the
// model file round trip, and the refusal of damaged files.
#include <aekit/core/error.h>
#include <aekit/io/model_file.h>
#include <aekit/layers/factored_ease.h>
#include <aekit/linalg/spd_inverse.h>
#include <aekit/models/trained_model.h>
#include <aekit/recsys/ease.h>
#include <aekit/recsys/ease_fit.h>
#include <aekit/recsys/ease_map.h>
#include <aekit/recsys/ease_woodbury.h>
#include <gtest/gtest.h>

#include "../gradcheck/gradcheck.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <vector>

namespace aekit::test {
namespace {

// users x items, about a third of the pairs, weights 1 and 0.4 (a low rating), items 5 and 17 and
// user 3 without interactions.
CsrMatrix wide_interactions(int64_t users, int64_t items, uint64_t seed) {
  Rng rng(seed);
  std::vector<CsrEntry> entries;
  for (int64_t u = 0; u < users; ++u)
    for (int64_t i = 0; i < items; ++i) {
      const bool drawn = rng.uniform(0.0f, 1.0f) < 0.35f;
      if (drawn && u != 3 && i != 5 && i != 17) entries.push_back({u, i, rng.uniform(0.0f, 1.0f) < 0.3f ? 0.4f : 1.0f});
    }
  return CsrMatrix::from_entries(users, items, std::move(entries));
}

std::vector<int64_t> all_rows(const CsrMatrix& x) {
  std::vector<int64_t> rows(static_cast<size_t>(x.rows()));
  for (size_t r = 0; r < rows.size(); ++r) rows[r] = static_cast<int64_t>(r);
  return rows;
}

Tensor dense_rows(const CsrMatrix& x) {
  Tensor d({x.rows(), x.cols()});
  for (const CsrEntry& e : x.entries()) d.row(e.row)[e.col] = e.value;
  return d;
}

// B as the layer computes it: its forward on the identity.
Tensor materialised(FactoredEase& layer) {
  const int64_t n = layer.in_features();
  Tensor eye({n, n}), b;
  for (int64_t i = 0; i < n; ++i) eye.row(i)[i] = 1.0f;
  layer.forward(eye.view(), b, Mode::Infer);
  return b;
}

float largest(const Tensor& t) {
  float m = 0;
  for (float v : t.span()) m = std::max(m, std::fabs(v));
  return m;
}

TEST(EaseWoodbury, FactoredScoresAreTheDenseSolvesScores) {
  for (const auto& [lambda, dropout] : std::vector<std::pair<double, double>>{{0.5, 0.0}, {4.0, 0.0}, {60.0, 0.0},
                                                                              {1.0, 0.3}, {4.0, 0.6}}) {
    const CsrMatrix x = wide_interactions(12, 31, 7);
    const Tensor b = ease_solve(x, lambda, dropout);
    const auto factored = ease_solve_factored(x, lambda, dropout);
    const std::vector<int64_t> rows = all_rows(x);
    const Tensor want = ease_scores(b, x, rows);
    const Tensor got = factored->scores(x, rows);
    Tensor through_forward;
    factored->forward(dense_rows(x).view(), through_forward, Mode::Infer);
    ASSERT_EQ(got.shape(), want.shape());
    const float scale = largest(want);
    ASSERT_GT(scale, 0.05f) << "scores that are not all zeros";
    for (int64_t k = 0; k < want.size(); ++k) {
      EXPECT_NEAR(got[k], want[k], 2e-5f * (1 + scale)) << "lambda " << lambda << " dropout " << dropout << " at " << k;
      EXPECT_NEAR(through_forward[k], want[k], 2e-5f * (1 + scale)) << "forward at " << k;
    }
    // The user without interactions scores nothing.
    for (int64_t j = 0; j < x.cols(); ++j) EXPECT_EQ(got.row(3)[j], 0.0f);
    // B itself, entry by entry.
    const Tensor bf = materialised(*factored);
    for (int64_t k = 0; k < b.size(); ++k)
      EXPECT_NEAR(bf[k], b[k], 2e-5f * (1 + largest(b))) << "lambda " << lambda << " B at " << k;
  }
}

// diag(B) = 0 up to float rounding, and the items without interactions have B's row and column
// exactly 0 (their t_j is 0 and X's column is empty).
TEST(EaseWoodbury, BHasAZeroDiagonalAndEmptyItemsStayOut) {
  const CsrMatrix x = wide_interactions(10, 25, 3);
  const auto factored = ease_solve_factored(x, 2.0, 0.2);
  const Tensor b = materialised(*factored);
  const float scale = largest(b);
  ASSERT_GT(scale, 0.05f);
  for (int64_t i = 0; i < x.cols(); ++i) {
    EXPECT_LE(std::fabs(b.row(i)[i]), 1e-6f * scale) << "diagonal " << i;
    for (int64_t empty : {5, 17}) {
      EXPECT_EQ(b.row(empty)[i], 0.0f) << "item " << empty << " predicts nothing";
      EXPECT_EQ(b.row(i)[empty], 0.0f) << "item " << empty << " is predicted by nothing";
    }
  }
}

// P's diagonal, Lambda_j P_jj = 1 - t_j, is a difference that cancels when the part of an item's
// column the other items cannot predict dwarfs lambda: the gain c_j = 1 / (1 - t_j) from the
// factored solve against the dense double inverse of X^T X + Lambda, with an item every user has
// (user 3 only that one) and lambda 1e-3: t_5 is about 1 - 1e-3, G_55 / lambda 1.2e4, so about four
// of double's sixteen digits go, none of float's seven. (EDLAE's Lambda_j P_jj is at least p.)
TEST(EaseWoodbury, PsDiagonalSurvivesTheCancellation) {
  std::vector<CsrEntry> entries = wide_interactions(12, 20, 9).entries();
  for (int64_t u = 0; u < 12; ++u)
    entries.push_back({u, 5, 1.0f});  // item 5 (empty before) for every user
  const CsrMatrix x = CsrMatrix::from_entries(12, 20, std::move(entries));
  for (const auto& [lambda, dropout] : std::vector<std::pair<double, double>>{{1e-3, 0.0}, {1e-3, 0.5}}) {
    const auto layer = ease_solve_factored(x, lambda, dropout);
    const int64_t n = x.cols();
    std::vector<double> g(static_cast<size_t>(n * n), 0.0), lambdas(static_cast<size_t>(n));
    for (int64_t u = 0; u < x.rows(); ++u)
      for (const CsrEntry& a : x.entries())
        if (a.row == u)
          for (const CsrEntry& b : x.entries())
            if (b.row == u) g[static_cast<size_t>(a.col * n + b.col)] += static_cast<double>(a.value) * b.value;
    for (int64_t j = 0; j < n; ++j) {
      lambdas[static_cast<size_t>(j)] = lambda + dropout / (1 - dropout) * g[static_cast<size_t>(j * n + j)];
      g[static_cast<size_t>(j * n + j)] += lambdas[static_cast<size_t>(j)];
    }
    invert_spd(g, n);
    for (int64_t j = 0; j < n; ++j) {
      const double want = 1.0 / (lambdas[static_cast<size_t>(j)] * g[static_cast<size_t>(j * n + j)]);
      EXPECT_NEAR(layer->gain()[j], want, 2e-6 * want) << "item " << j << " lambda " << lambda << " dropout " << dropout;
    }
    if (dropout == 0) {
      EXPECT_GT(layer->gain()[5], 500.0f) << "the construction: item 5's 1 - t is small";
    }
  }
}

// The rule: factored exactly when there are fewer users than items (and some interaction), and
// the map scores as the dense solve on either side of it.
TEST(EaseWoodbury, TheMapIsFactoredWithFewerUsersThanItems) {
  EXPECT_TRUE(ease_solves_factored(10, 11, 1));
  EXPECT_FALSE(ease_solves_factored(11, 11, 1));
  EXPECT_FALSE(ease_solves_factored(10, 11, 0));
  const CsrMatrix wide = wide_interactions(9, 20, 5);
  const EaseMap map = solve_ease_map(wide, 3.0);
  EXPECT_TRUE(map.factored());
  EXPECT_EQ(map.items(), 20);
  const CsrMatrix tall = wide.transpose();
  EXPECT_FALSE(solve_ease_map(tall, 3.0).factored());
  const CsrMatrix empty = CsrMatrix::from_entries(3, 8, {});
  const EaseMap none = solve_ease_map(empty, 3.0);
  EXPECT_FALSE(none.factored());
  EXPECT_EQ(largest(none.dense()), 0.0f);
  // Each form bounds its own system: items x items for the dense one, users x users for the
  // factored one; both refuse before allocating by those sizes.
  const auto refusal = [](const CsrMatrix& x) {
    try {
      solve_ease_map(x, 1.0);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("solved");
  };
  const int64_t over = kMaxEaseItems + 1;
  EXPECT_NE(refusal(CsrMatrix::from_entries(over + 1, over, {{0, 0, 1.0f}})).find("items x items"), std::string::npos);
  EXPECT_NE(refusal(CsrMatrix::from_entries(kMaxEaseUsers + 1, kMaxEaseUsers + 2, {{0, 0, 1.0f}})).find("users x users"),
            std::string::npos);
  EXPECT_THROW(ease_solve_factored(wide, 0.0), InputError);
  EXPECT_THROW(ease_solve_factored(wide, 1.0, 1.0), InputError);
}

// The layer's backward is the transpose map: dx = dy B^T, against B materialised (finite
// differences: tests/gradcheck/factored_ease_gradcheck_test.cpp).
TEST(EaseWoodbury, BackwardIsTheTransposeMap) {
  const CsrMatrix x = wide_interactions(6, 14, 11);
  const auto layer = ease_solve_factored(x, 1.5, 0.25);
  const Tensor b = materialised(*layer);
  Rng rng(4);
  Tensor in = random_tensor({3, 14}, rng);
  const Tensor r = random_tensor({3, 14}, rng);
  Tensor y, dx;
  layer->forward(in.view(), y, Mode::Train);
  layer->backward(r.view(), &dx);
  for (int64_t row = 0; row < 3; ++row)
    for (int64_t i = 0; i < 14; ++i) {
      double want = 0;
      for (int64_t j = 0; j < 14; ++j) want += static_cast<double>(r.row(row)[j]) * b.row(i)[j];
      EXPECT_NEAR(dx.row(row)[i], want, 1e-5 * (1 + std::fabs(want))) << row << ", " << i;
    }
}

// ease_network stores the factored map as its one layer: written, read back and run, it gives the
// same scores bit for bit.
TEST(EaseWoodbury, TheNetworkRoundTripsThroughTheModelFile) {
  const CsrMatrix x = wide_interactions(8, 19, 2);
  const EaseMap map = solve_ease_map(x, 2.5);
  ASSERT_TRUE(map.factored());
  TrainedModel model;
  model.network = ease_network(map, 0);
  EXPECT_EQ(model.network->layer(0).kind(), "factored_ease");
  EXPECT_TRUE(model.network->params().empty()) << "nothing to train";
  model.preprocessor = Preprocessor::fit(PreprocessKind::None, Tensor({1, 19}));
  std::stringstream bytes;
  write_model(bytes, to_model_file(model));
  const TrainedModel loaded = from_model_file(read_model(bytes, "m.aek"), "m.aek");
  const Tensor in = dense_rows(x);
  const Tensor want = model.network->reconstruct(in.view());
  const Tensor got = loaded.network->reconstruct(in.view());
  ASSERT_EQ(got.shape(), want.shape());
  for (int64_t k = 0; k < want.size(); ++k) ASSERT_EQ(got[k], want[k]) << k;
  const Tensor scores = map.scores(x, all_rows(x));
  for (int64_t k = 0; k < want.size(); ++k) EXPECT_NEAR(want[k], scores[k], 1e-5f * (1 + largest(scores))) << k;

  // A file written before the factored form (one dense layer holding B^T, for the same wide data)
  // still loads and scores as the factored network.
  TrainedModel old;
  old.network = ease_network(EaseMap(ease_solve(x, 2.5)), 0);
  EXPECT_EQ(old.network->layer(0).kind(), "dense");
  old.preprocessor = model.preprocessor;
  std::stringstream old_bytes;
  write_model(old_bytes, to_model_file(old));
  const TrainedModel old_loaded = from_model_file(read_model(old_bytes, "old.aek"), "old.aek");
  const Tensor old_scores = old_loaded.network->reconstruct(in.view());
  for (int64_t k = 0; k < want.size(); ++k) EXPECT_NEAR(old_scores[k], want[k], 1e-5f * (1 + largest(want))) << k;
}

// A crafted or damaged file is refused with one line naming the layer: indices outside the users
// or items or not whole, a self term of 1, a gain under 1, a zero scale; a shape that disagrees
// with the architecture, and an architecture too large to plan, before anything is built.
TEST(EaseWoodbury, DamagedFactorsAreRefused) {
  const CsrMatrix x = wide_interactions(8, 19, 2);
  TrainedModel model;
  model.network = ease_network(solve_ease_map(x, 2.5), 0);
  model.preprocessor = Preprocessor::fit(PreprocessKind::None, Tensor({1, 19}));
  const ModelFile good = to_model_file(model);
  const auto refused = [&](const std::string& tensor, int64_t index, float value) {
    ModelFile file = good;
    bool found = false;
    for (NamedTensor& t : file.tensors)
      if (t.name == "encoder.0." + tensor) {
        t.tensor[index] = value;
        found = true;
      }
    ASSERT_TRUE(found) << tensor;
    try {
      from_model_file(file, "m.aek");
      ADD_FAILURE() << tensor << "[" << index << "] = " << value << " loaded";
    } catch (const InputError& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find("m.aek: layer factored_ease"), std::string::npos) << what;
      EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    }
  };
  refused("interactions", 0, 8.0f);    // user 8 of 8
  refused("interactions", 3, -1.0f);   // user -1
  refused("interactions", 1, 19.0f);   // item 19 of 19
  refused("interactions", 4, 2.5f);    // not a whole index
  refused("self", 0, 1.0f);
  refused("self", 2, -0.5f);
  refused("gain", 1, 0.5f);
  refused("scale", 6, 0.0f);

  ModelFile reshaped = good;
  for (NamedTensor& t : reshaped.tensors)
    if (t.name == "encoder.0.m") t.tensor = Tensor({7, 8});
  EXPECT_THROW(from_model_file(reshaped, "m.aek"), InputError);
  // An architecture claiming 2^40 users is refused by its plan, before anything is allocated.
  ModelFile huge = good;
  std::string arch = huge.metadata["architecture"];
  const size_t at = arch.find("\"users\":8");
  ASSERT_NE(at, std::string::npos) << arch;
  arch.replace(at, 9, "\"users\":1099511627776");
  huge.metadata["architecture"] = arch;
  EXPECT_THROW(from_model_file(huge, "m.aek"), InputError);
}

// Built from a spec (--encoder-layers) rather than a solve or a model file, the layer has no map:
// running it is bad input, not an internal error.
TEST(EaseWoodbury, ASpecAloneDoesNotRun) {
  ModelSpec spec;
  spec.input_shape = {4};
  spec.encoder = {LayerSpec{"factored_ease", {{"users", 2}, {"interactions", 3}}}};
  spec.decoder = {LayerSpec{"dropout", {{"p", 0.0}}}};
  Autoencoder net(spec, 0);
  const Tensor x({2, 4});
  EXPECT_THROW(net.forward(x.view(), Mode::Train), InputError);
}

}  // namespace
}  // namespace aekit::test
