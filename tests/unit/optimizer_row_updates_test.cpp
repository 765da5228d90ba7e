// RowUpdates (optimizer.h): a parameter's update applied by its owner in runs of elements, from
// gradient values it hands over (or a zero gradient), must leave the same bits as step() on the
// stored gradient, step after step, with the other parameters still updated by step(); and a
// non-finite value it stores must make step() report it.
#include <aekit/train/optimizer.h>

#include <gtest/gtest.h>

#include "random_params.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace aekit {
namespace {

// Signed zeros among the weights: the zero-gradient path must keep their signs as step() does.
struct RowParams : RandomParams {
  explicit RowParams(const std::vector<int64_t>& sizes) : RandomParams(sizes, 5) {
    values[0][3] = -0.0f;
    values[0][4] = 0.0f;
  }
};

// Parameter 0 is a 40 x 13 matrix: in each step some of its rows get a gradient, the rest none
// (zeros in the stored gradient, a null run for RowUpdates), as a sparse batch leaves them.
constexpr int64_t kRows = 40, kWidth = 13;

void draw_row_gradients(RowParams& p, int step) {
  std::mt19937 rng(200 + step);
  std::normal_distribution<float> normal(0.0f, 2.0f);
  std::bernoulli_distribution reached(0.4);
  for (int64_t r = 0; r < kRows; ++r) {
    const bool on = reached(rng);
    for (int64_t j = 0; j < kWidth; ++j) p.grads[0][static_cast<size_t>(r * kWidth + j)] = on ? normal(rng) : 0.0f;
  }
  for (size_t k = 1; k < p.grads.size(); ++k)
    for (float& g : p.grads[k]) g = normal(rng);
}

bool row_is_zero(const RowParams& p, int64_t r) {
  for (int64_t j = 0; j < kWidth; ++j)
    if (p.grads[0][static_cast<size_t>(r * kWidth + j)] != 0.0f) return false;
  return true;
}

TEST(OptimizerRowUpdates, SameBitsAsStepWithRowsWithoutGradient) {
  for (const std::string name : {"adam", "adamw"})
    for (const bool amsgrad : {false, true})
      for (const float decay : {0.0f, 0.3f}) {
        OptimizerConfig c = OptimizerConfig::defaults_for(name);
        c.lr = 0.01f;
        c.amsgrad = amsgrad;
        c.weight_decay = decay;
        const std::vector<int64_t> sizes = {kRows * kWidth, 17, 3};
        RowParams plain(sizes), rows(sizes);
        auto a = make_optimizer(c, plain.refs);
        auto b = make_optimizer(c, rows.refs);
        RowUpdates* updates = b->row_updates(0);
        ASSERT_NE(updates, nullptr);
        for (int step = 0; step < 6; ++step) {
          draw_row_gradients(plain, step);
          draw_row_gradients(rows, step);
          ASSERT_TRUE(a->step());
          // Every other step the owner takes the update (rows in reverse, runs of one or two rows,
          // a zero gradient where a row has none); otherwise step() does, from the stored gradient.
          if (step % 2 == 0) {
            updates->claim();
            for (int64_t r = kRows - 1; r >= 0; --r) {
              const int64_t first = r * kWidth;
              updates->update(first, kWidth, row_is_zero(rows, r) ? nullptr : rows.grads[0].data() + first);
            }
            // The gradient a claimed step never reads: poison it.
            for (float& g : rows.grads[0]) g = std::numeric_limits<float>::quiet_NaN();
          }
          ASSERT_TRUE(b->step());
          for (size_t k = 0; k < sizes.size(); ++k)
            for (size_t i = 0; i < plain.values[k].size(); ++i)
              ASSERT_EQ(std::signbit(plain.values[k][i]), std::signbit(rows.values[k][i]));
          for (size_t k = 0; k < sizes.size(); ++k)
            ASSERT_EQ(plain.values[k], rows.values[k]) << name << " amsgrad " << amsgrad << " decay " << decay
                                                       << " step " << step << " parameter " << k;
        }
        EXPECT_EQ(a->steps(), b->steps());
        const auto sa = a->slots(), sb = b->slots();
        ASSERT_EQ(sa.size(), sb.size());
        for (size_t s = 0; s < sa.size(); ++s) EXPECT_EQ(*sa[s].values, *sb[s].values) << sa[s].name;
      }
}

// update_sum: the gradient of a run as a sum of scaled rows, computed in the update's loop (up to
// eight terms) or in a buffer first (more): the bits of step() on the gradient stored as the same
// chain of std::fma, for 1 to 11 terms and a run length with a vector tail.
TEST(OptimizerRowUpdates, SumsOfRowsGiveTheBitsOfTheStoredSum) {
  constexpr int64_t kRun = 37;
  std::mt19937 rng(9);
  std::normal_distribution<float> normal;
  std::vector<std::vector<float>> rows_of(11, std::vector<float>(kRun));
  for (auto& r : rows_of)
    for (float& x : r) x = normal(rng);
  for (const std::string name : {"adam", "adamw"})
    for (size_t terms = 1; terms <= 11; ++terms) {
      OptimizerConfig c = OptimizerConfig::defaults_for(name);
      c.weight_decay = 0.2f;
      RowParams plain({kRun * 3}), summed({kRun * 3});
      auto a = make_optimizer(c, plain.refs);
      auto b = make_optimizer(c, summed.refs);
      RowUpdates* updates = b->row_updates(0);
      for (int step = 0; step < 4; ++step) {
        std::vector<RowUpdates::Term> t;
        for (size_t k = 0; k < terms; ++k) t.push_back({0.5f + static_cast<float>(k + step) * 0.37f, rows_of[k].data()});
        // Run 1 of the three gets the sum; runs 0 and 2 no gradient.
        std::fill(plain.grads[0].begin(), plain.grads[0].end(), 0.0f);
        for (int64_t i = 0; i < kRun; ++i) {
          float g = std::fma(t[0].value, t[0].row[i], 0.0f);
          for (size_t k = 1; k < terms; ++k) g = std::fma(t[k].value, t[k].row[i], g);
          plain.grads[0][static_cast<size_t>(kRun + i)] = g;
        }
        ASSERT_TRUE(a->step());
        updates->claim();
        updates->update(0, kRun, nullptr);
        updates->update_sum(kRun, kRun, t);
        updates->update(2 * kRun, kRun, nullptr);
        ASSERT_TRUE(b->step());
        ASSERT_EQ(plain.values[0], summed.values[0]) << name << ", " << terms << " terms, step " << step;
      }
    }
}

TEST(OptimizerRowUpdates, StepReportsANonFiniteValueTheOwnerStored) {
  RowParams p({kRows * kWidth, 5});
  auto opt = make_optimizer(OptimizerConfig::defaults_for("adamw"), p.refs);
  RowUpdates* updates = opt->row_updates(0);
  updates->claim();
  std::vector<float> g(static_cast<size_t>(kWidth), 1.0f);
  g[7] = std::numeric_limits<float>::infinity();  // m and v infinite: the value NaN
  for (int64_t r = 0; r < kRows; ++r) updates->update(r * kWidth, kWidth, r == 31 ? g.data() : nullptr);
  EXPECT_FALSE(opt->step());
  EXPECT_TRUE(std::isnan(p.values[0][31 * kWidth + 7]));
  // The report is of that step only: with the value and its state made finite again, the next
  // claimed step is finite.
  p.values[0][31 * kWidth + 7] = 0.0f;
  for (const OptimizerSlot& slot : opt->slots())
    if (slot.name.ends_with(".0")) (*slot.values)[31 * kWidth + 7] = 0.0f;
  updates->claim();
  for (int64_t r = 0; r < kRows; ++r) updates->update(r * kWidth, kWidth, nullptr);
  EXPECT_TRUE(opt->step()) << "a value the owner stored in an earlier step";
}

TEST(OptimizerRowUpdates, OnlyAdamAndAdamWHaveThem) {
  RowParams p({8});
  for (const std::string name : {"sgd", "rmsprop", "adagrad"})
    EXPECT_EQ(make_optimizer(OptimizerConfig::defaults_for(name), p.refs)->row_updates(0), nullptr) << name;
}

}  // namespace
}  // namespace aekit
