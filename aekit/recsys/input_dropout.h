#pragma once
// Denoising input for recommender networks (--input-dropout P): each stored rating of a training
// row is dropped from the input with probability P and the survivors are scaled by 1 / (1 - P),
// as inverted dropout does, while the target keeps every rating of the row. The network must then
// predict ratings it does not see, which keeps it from learning to copy its input (the way an
// AutoRec overfits); at inference the input is the whole row, unscaled.
#include <aekit/core/csr_matrix.h>
#include <aekit/core/rng.h>

#include <span>

namespace aekit {

struct DroppedBatch {
  CsrMatrix input;   // batch rows x columns: the surviving ratings, scaled
  CsrMatrix target;  // batch rows x columns: every rating of the rows
};

// Rows `rows` of `ratings` as a batch-local pair (row b of both is rows[b]); p in [0, 1).
DroppedBatch drop_input_ratings(const CsrMatrix& ratings, std::span<const int64_t> rows, float p, Rng& rng);

}  // namespace aekit
