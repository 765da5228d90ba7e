#pragma once
// The multinomial log-likelihood of Mult-DAE and Mult-VAE (Liang et al. 2018): each row of the
// batch is a user's interactions x (counts; here 0 or 1), the network's outputs z are logits over
// every item, and the loss is the mean over the batch's rows of
//   -sum_i x_i log softmax(z)_i  =  -sum_i x_i (z_i - logsumexp(z))
// whose gradient is (softmax(z) sum_i x_i - x) / rows. Items compete for a user's probability
// mass, which is what ranks them.
#include <aekit/core/csr_matrix.h>
#include <aekit/core/tensor.h>

#include <span>

namespace aekit {

// Row b of `logits` against row rows[b] of `target`; writes dL/dlogits into grad when it is given
// (grad has the logits' shape).
double multinomial_nll(ConstMatrixView logits, const CsrMatrix& target, std::span<const int64_t> rows,
                       MatrixView grad = {});

}  // namespace aekit
