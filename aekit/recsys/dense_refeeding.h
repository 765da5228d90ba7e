#pragma once
// DeepRec's dense re-feeding (Kuchaiev & Ginsburg 2017, section 3.2): after the update on a batch
// of sparse rows x, the network's dense output f(x) for that batch (computed before the update)
// is a new batch in which every entry is rated. It is both the input and the target of one more
// update, with the squared error averaged over all its entries: an ideal autoencoder maps its own
// predictions to themselves, f(f(x)) = f(x), and the extra step teaches the network from dense
// inputs like the ones it sees at inference. Each further re-feeding step re-feeds the outputs of
// the step before. The pass is dense (every entry), so it runs on the Autoencoder's own dense
// forward and backward with the mean squared error of losses/.
#include <aekit/core/tensor.h>
#include <aekit/losses/loss.h>
#include <aekit/models/autoencoder.h>

#include <memory>

namespace aekit {

class DenseRefeeding {
 public:
  explicit DenseRefeeding(Autoencoder& model);

  // Keeps a batch's dense outputs (rows x the model's outputs) as the next step's input.
  void keep(ConstMatrixView outputs);
  // One re-fed pass (Mode::Train) on the kept outputs: leaves the gradients of the mean squared
  // error between f(kept) and kept in the parameters, keeps f(kept) for a further step, and
  // returns the loss.
  double step();

 private:
  Autoencoder& model_;
  std::unique_ptr<Loss> mse_;
  Tensor kept_, grad_;
};

}  // namespace aekit
