// factored_ease (layers/factored_ease.h) has no parameters; its backward is the input gradient,
// the transpose map dy B^T, checked here by finite differences on an EDLAE solve of 3 users'
// weighted interactions over 7 items (item 6 without any). tests/recsys/ease_woodbury_test.cpp
// compares it with B materialised.
#include "gradcheck.h"

#include <aekit/recsys/ease_woodbury.h>

namespace aekit::test {
namespace {

TEST(FactoredEaseGradcheck, InputGradientMatchesFiniteDifferences) {
  const CsrMatrix x = CsrMatrix::from_entries(
      3, 7, {{0, 0, 1.0f}, {0, 2, 0.4f}, {0, 5, 1.0f}, {1, 1, 1.0f}, {1, 2, 1.0f}, {1, 3, 0.4f}, {2, 0, 1.0f},
             {2, 3, 1.0f}, {2, 4, 1.0f}, {2, 5, 0.4f}});
  const auto layer = ease_solve_factored(x, 0.8, 0.2);
  EXPECT_TRUE(layer->params().empty()) << "nothing to train";
  Rng rng(2);
  Tensor in = random_tensor({4, 7}, rng);
  const Tensor r = random_tensor({4, 7}, rng);
  Tensor y, dx;
  layer->forward(in.view(), y, Mode::Train);
  layer->backward(r.view(), &dx);
  expect_gradient_matches("factored_ease dx", in, dx, [&] {
    Tensor out;
    layer->forward(in.view(), out, Mode::Train);
    return weighted_sum(out, r);
  });
}

}  // namespace
}  // namespace aekit::test
