#pragma once
// eval on a variational autoencoder: the ELBO per sample and its two parts (aekit/models/vae.h),
// deterministic (the reconstruction at the posterior mean).
#include <aekit/models/trained_model.h>

#include <nlohmann/json.hpp>

namespace aekit::cli {

// {"kl_per_sample", and with a likelihood "likelihood", "reconstruction_nll_per_sample",
// "elbo_per_sample"}; an empty object for models that are not VAEs.
nlohmann::json vae_metrics(TrainedModel& model, const Tensor& x);
void print_vae_metrics(const nlohmann::json& metrics);

}  // namespace aekit::cli
