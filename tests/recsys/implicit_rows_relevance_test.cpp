// Mult-DAE/VAE's validation (ImplicitRows::validation_loss, 1 - NDCG@100 of the held-out items):
// with --low-rating-weight the interactions under the threshold have a weight below 1, and a
// held-out one leaves the input but is no hit, as the test's relevance counts positives only.
#include <aekit/core/csr_matrix.h>
#include <aekit/core/rng.h>
#include <aekit/models/autoencoder.h>
#include <aekit/options/train_options.h>
#include <aekit/recsys/implicit_rows.h>
#include <gtest/gtest.h>

#include <vector>

namespace aekit {
namespace {

double held_out_loss_with_every_weight(float weight) {
  Rng pattern(11);
  std::vector<CsrEntry> entries;
  for (int r = 0; r < 40; ++r)
    for (int c = 0; c < 20; ++c)
      if (pattern.uniform() < 0.3f) entries.push_back({r, c, weight});
  TrainOptions o;
  o.model.encoder = {20, 8};
  o.model.activation = "tanh";
  o.model.output_activation = "identity";
  Autoencoder net(o.model_spec(Shape{20}), 1);
  ImplicitRows rows(net, CsrMatrix::from_entries(40, 20, entries), {0.0f, 5});
  Rng carve(3);
  rows.hold_out(0.2f, carve);
  return rows.validation_loss();
}

TEST(ImplicitRowsRelevance, HeldOutInteractionsUnderWeightOneAreNoHits) {
  // The same carve both times (it draws on the pattern, not the values).
  const double ones = held_out_loss_with_every_weight(1.0f);
  EXPECT_LT(ones, 0.99);  // the untrained network still ranks some held-out items in its top 100
  // Every held-out interaction weighs 0.4: no user has a positive to find, so no NDCG at all.
  EXPECT_EQ(held_out_loss_with_every_weight(0.4f), 1.0);
}

}  // namespace
}  // namespace aekit
