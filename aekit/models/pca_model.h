#pragma once
// A fitted PCA as an ordinary model file: PCA is the linear autoencoder with identity activations,
//   code = V^T (x - mean)   encoder.0: weight V^T (k x d), bias -V^T mean
//   x'   = V code + mean    decoder.0: weight V   (d x k), bias  mean
// so encode, decode, eval and reconstruct use it like any trained model. The training record
// says "method": "pca" (with the variances), which is how `aekit info` tells it apart.
#include <aekit/data/dataset.h>
#include <aekit/linalg/pca.h>
#include <aekit/models/trained_model.h>

#include <nlohmann/json.hpp>
#include <string>

namespace aekit {

// `record` is merged into the training record (data, rows, ...); preprocessing, image size and
// the loss (mse) are set on the result by the caller's data.
TrainedModel make_pca_model(const Pca& pca, const Preprocessor& preprocessor, nlohmann::json record = {});

// The whole job of `aekit pca`: fits the preprocessing on data.x, applies it (data.x is changed in
// place), fits `components` principal directions and returns the model, with the data's image size
// and name in its record.
TrainedModel fit_pca_model(Dataset& data, int64_t components, PreprocessKind preprocess);

// Whether the model's training record says it is a PCA.
bool is_pca_model(const TrainedModel& model);

}  // namespace aekit
