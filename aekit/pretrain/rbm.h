#pragma once
// A restricted Boltzmann machine with Bernoulli or Gaussian (unit-variance, linear) units on each
// side, trained by contrastive divergence (CD-k), as Hinton & Salakhutdinov (Science 2006) pretrain
// each layer of a deep autoencoder. The layout is the dense layer's (nn.Linear's): weight is
// hidden x visible, so the trained weight and hidden bias become the encoder layer's, and the
// weight transposed with the visible bias the mirror decoder layer's.
//   hidden mean   E[h|v] = act(v W^T + c)     act = sigmoid (Bernoulli) or identity (Gaussian)
//   visible mean  E[v|h] = act(h W + b)
//   free energy   F(v) = sum_i vis(v_i) - sum_j hid(c_j + W_j v), vis = -b_i v_i (Bernoulli) or
//                 (v_i - b_i)^2 / 2 (Gaussian), hid = softplus (Bernoulli) or x^2 / 2 (Gaussian)
// CD-k: h0 = E[h|v0], sampled; k times: v = E[v|h] (means, as Hinton's code), h = E[h|v], sampled
// but for the last step; the update follows -dF(v0)/dθ + dF(vk)/dθ, averaged over the batch, with
// momentum and L2 weight cost as in Hinton's code (momentum 0.5 for the first 5 epochs, then 0.9).
#include <aekit/core/rng.h>
#include <aekit/core/tensor.h>

#include <cstdint>
#include <string>

namespace aekit {

enum class Units { Bernoulli, Gaussian };
const char* units_name(Units u);

struct RbmConfig {
  int epochs = 10;
  int64_t batch_size = 100;
  float lr = 0.1f;              // Hinton's epsilon for Bernoulli layers; a layer with Gaussian units
                                // takes lr / 100 (his 0.001 for the linear code layer)
  float weight_cost = 0.0002f;  // L2 on the weights
  int cd_k = 1;
  uint64_t seed = 0;
  void validate() const;  // InputError on a bad value
};

class Rbm {
 public:
  // Weights N(0, 0.1^2) as Hinton's code, biases 0.
  Rbm(int64_t visible, int64_t hidden, Units visible_units, Units hidden_units, Rng& rng);

  int64_t visible() const { return weight_.dim(1); }
  int64_t hidden() const { return weight_.dim(0); }
  Units visible_units() const { return visible_units_; }
  Units hidden_units() const { return hidden_units_; }
  Tensor& weight() { return weight_; }  // hidden x visible
  Tensor& visible_bias() { return visible_bias_; }
  Tensor& hidden_bias() { return hidden_bias_; }

  void hidden_mean(ConstMatrixView v, Tensor& h) const;
  void visible_mean(ConstMatrixView h, Tensor& v) const;
  // Mean over rows of the free energy F(v).
  double free_energy(ConstMatrixView v) const;
  // The CD gradient estimate (ascent direction) for a positive batch v0 and negative batch vk
  // of the same rows: -dF(v0)/dθ + dF(vk)/dθ averaged over rows, into the three gradients.
  void cd_gradient(ConstMatrixView v0, ConstMatrixView vk, Tensor& grad_weight, Tensor& grad_visible,
                   Tensor& grad_hidden) const;
  // Mean squared error per value of one deterministic up-down pass (v -> E[h|v] -> E[v|h]).
  double reconstruction_error(ConstMatrixView v) const;
  // One epoch of CD-k over the rows of data (shuffled with rng); returns the mean squared error per
  // value of the batches' first reconstructions, as Hinton's code reports it.
  double train_epoch(const Tensor& data, const RbmConfig& config, int epoch, Rng& rng);

 private:
  void sample(Units units, Tensor& means, Rng& rng) const;

  Units visible_units_, hidden_units_;
  Tensor weight_, visible_bias_, hidden_bias_;
  Tensor weight_inc_, visible_inc_, hidden_inc_;  // momentum
};

}  // namespace aekit
