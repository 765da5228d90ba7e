// Dropout is linear in x for a fixed mask, so its gradient is the mask itself: dx = dy * y / x.
#include "gradcheck.h"

#include <aekit/layers/dropout.h>

namespace aekit::test {
namespace {

TEST(Dropout, TrainingMaskScalesSurvivorsAndBackwardUsesTheSameMask) {
  Rng rng(9);
  Dropout layer(50, 0.3f, 123);
  Tensor x = random_tensor({40, 50}, rng, 0.5f, 1.5f);
  Tensor y;
  layer.forward(x.view(), y, Mode::Train);
  int64_t dropped = 0;
  for (int64_t i = 0; i < x.size(); ++i) {
    if (y[i] == 0.0f)
      ++dropped;
    else
      EXPECT_NEAR(y[i], x[i] / 0.7f, 1e-5f);
  }
  EXPECT_NEAR(static_cast<double>(dropped) / static_cast<double>(x.size()), 0.3, 0.03);
  Tensor dy = random_tensor({40, 50}, rng);
  Tensor dx;
  layer.backward(dy.view(), &dx);
  for (int64_t i = 0; i < x.size(); ++i) EXPECT_NEAR(dx[i], dy[i] * y[i] / x[i], 1e-5f);
}

TEST(Dropout, InferenceIsIdentity) {
  Rng rng(2);
  Dropout layer(8, 0.5f, 1);
  Tensor x = random_tensor({3, 8}, rng);
  Tensor y, dx;
  layer.forward(x.view(), y, Mode::Infer);
  for (int64_t i = 0; i < x.size(); ++i) EXPECT_EQ(y[i], x[i]);
  layer.backward(x.view(), &dx);
  for (int64_t i = 0; i < x.size(); ++i) EXPECT_EQ(dx[i], x[i]);
}

TEST(Dropout, RejectsInvalidProbability) {
  EXPECT_THROW(Dropout(4, 1.0f, 0), InputError);
  EXPECT_THROW(Dropout(4, -0.1f, 0), InputError);
}

}  // namespace
}  // namespace aekit::test
