#include "eval_vae.h"

#include <aekit/models/vae.h>

#include <cstdio>

namespace aekit::cli {

nlohmann::json vae_metrics(TrainedModel& model, const Tensor& x) {
  if (!sampling_layer(*model.network)) return nlohmann::json::object();
  const ElboReport r = evaluate_elbo(*model.network, x.view(), model.loss);
  nlohmann::json out{{"kl_per_sample", r.kl}};
  if (r.likelihood.empty()) return out;
  out["likelihood"] = r.likelihood;
  out["reconstruction_nll_per_sample"] = r.reconstruction;
  out["elbo_per_sample"] = r.elbo;
  return out;
}

void print_vae_metrics(const nlohmann::json& m) {
  if (m.empty()) return;
  if (m.contains("elbo_per_sample")) {
    std::printf("elbo per sample      %.4f nats (%s likelihood, at the posterior mean)\n", m["elbo_per_sample"].get<double>(),
                m["likelihood"].get<std::string>().c_str());
    std::printf("  reconstruction     %.4f (-log p(x|z))\n", m["reconstruction_nll_per_sample"].get<double>());
  }
  std::printf("%s%.4f (KL(q(z|x) || N(0, I)))\n", m.contains("elbo_per_sample") ? "  kl                 " : "kl per sample        ",
              m["kl_per_sample"].get<double>());
}

}  // namespace aekit::cli
