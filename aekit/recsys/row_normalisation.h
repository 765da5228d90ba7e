#pragma once
// Rows scaled to unit Euclidean norm, the input of Mult-DAE and Mult-VAE (Liang et al. 2018): a
// user with many interactions then weighs no more in the first layer than one with few. Rows
// without entries stay empty.
#include <aekit/core/csr_matrix.h>

#include <span>
#include <vector>

namespace aekit {

CsrMatrix l2_normalised_rows(const CsrMatrix& m);
// The same for entries in any order (one row or many), in place.
void l2_normalise_rows(std::span<CsrEntry> entries);

}  // namespace aekit
