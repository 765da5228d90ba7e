// The corrupt layer's input gradient in training, by finite differences: each evaluation uses a
// fresh layer with the same seed, so the noise is the same draw and only x moves.
#include "gradcheck.h"

#include <aekit/layers/corruption.h>

namespace aekit::test {
namespace {

void check_corrupt(const std::string& text) {
  const Corruption c = Corruption::parse(text);
  Rng rng(11);
  Tensor x = random_tensor({4, 7}, rng, 0.1f, 0.9f);
  const Tensor r = random_tensor({4, 7}, rng);
  Tensor y, dx;
  Corrupt layer(7, c, 5);
  layer.forward(x.view(), y, Mode::Train);
  layer.backward(r.view(), &dx);
  auto objective = [&] {
    Corrupt same(7, c, 5);
    Tensor out;
    same.forward(x.view(), out, Mode::Train);
    return weighted_sum(out, r);
  };
  expect_gradient_matches(text, x, dx, objective);
}

TEST(CorruptGradcheck, Gaussian) { check_corrupt("gaussian:0.3"); }
TEST(CorruptGradcheck, Masking) { check_corrupt("masking:0.4"); }
TEST(CorruptGradcheck, SaltAndPepper) { check_corrupt("salt_pepper:0.4"); }

}  // namespace
}  // namespace aekit::test
