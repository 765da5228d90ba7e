#pragma once
// Greedy layer-wise pretraining of a deep autoencoder (Hinton & Salakhutdinov 2006; Bengio et al.
// 2007; Vincent et al. 2010): each encoder dense layer in turn is trained as a shallow model on
// the codes of the layers below it (the data for the first), then the stack is unrolled into the
// autoencoder: the layer's weight and bias go to the encoder layer, the shallow model's decoder to
// the mirror decoder layer. Fine-tuning the whole network is the ordinary training that follows.
//   rbm   a restricted Boltzmann machine (rbm.h), CD-k; units from the activations: a sigmoid layer
//         has Bernoulli units, an identity layer Gaussian ones (the linear code), on the hidden side
//         from the encoder layer, on the visible side from its mirror decoder layer. The mirror
//         layer gets the weight transposed and the visible bias.
//   ae    a shallow autoencoder, encoder layer plus mirror decoder layer with their activations,
//         trained with MSE by the fine-tuning optimizer (aekit's trainer)
//   dae   the same reconstructing its clean input from a corrupted copy (stacked denoising)
// The network's dense layers must mirror: encoder layer k (in -> out) and decoder layer m-1-k
// (out -> in), m dense layers in each half; layers without parameters (dropout, corrupt) may sit
// between them and pass the codes unchanged at inference.
#include <aekit/layers/corruption.h>
#include <aekit/models/autoencoder.h>
#include <aekit/pretrain/rbm.h>
#include <aekit/train/optimizer.h>

#include <functional>
#include <string>
#include <vector>

namespace aekit {

enum class PretrainMethod { None, Rbm, Ae, Dae };
PretrainMethod parse_pretrain_method(const std::string& name);  // none, rbm, ae, dae; InputError otherwise

struct PretrainConfig {
  PretrainMethod method = PretrainMethod::None;
  RbmConfig rbm;              // epochs, batch size, seed also used by ae and dae
  OptimizerConfig optimizer;  // ae, dae
  Corruption corruption = Corruption::make("masking", 0.25);  // dae
};

struct PretrainedLayer {
  int64_t visible = 0, hidden = 0;
  std::string units;        // rbm: "bernoulli-bernoulli", ...; ae/dae: the activations
  double first_error = 0;   // reconstruction error of the first epoch and the last
  double last_error = 0;    //   (rbm: mean squared error per value; ae/dae: the MSE loss)
};

// Pretrains net's dense layers on x (preprocessed rows) and writes the weights into the network;
// InputError when the network does not mirror or a layer's activation has no RBM units. `log`
// receives one line per finished layer.
std::vector<PretrainedLayer> pretrain_greedy(Autoencoder& net, const Tensor& x, const PretrainConfig& config,
                                             const std::function<void(const std::string&)>& log = {});

}  // namespace aekit
