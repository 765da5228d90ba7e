#include <aekit/layers/init.h>

#include <aekit/core/error.h>

#include <array>
#include <cmath>
#include <utility>

namespace aekit {

namespace {
constexpr std::array<std::pair<Init, const char*>, 7> kNames{{
    {Init::PyTorch, "pytorch"},
    {Init::XavierUniform, "xavier_uniform"},
    {Init::XavierUniformSmallBias, "xavier_uniform_small_bias"},
    {Init::XavierNormal, "xavier_normal"},
    {Init::HeUniform, "he_uniform"},
    {Init::HeNormal, "he_normal"},
    {Init::Normal, "normal"},
}};

void fill_uniform(Tensor& t, float bound, Rng& rng) {
  for (float& v : t.span()) v = rng.uniform(-bound, bound);
}
void fill_normal(Tensor& t, float stddev, Rng& rng) {
  for (float& v : t.span()) v = rng.normal(0.0f, stddev);
}
// As TensorFlow's truncated_normal_initializer: draws beyond two deviations are drawn again.
void fill_truncated_normal(Tensor& t, float stddev, Rng& rng) {
  for (float& v : t.span()) {
    do v = rng.normal(0.0f, stddev);
    while (std::abs(v) > 2.0f * stddev);
  }
}
}  // namespace

Init parse_init(const std::string& name) {
  for (const auto& [init, n] : kNames)
    if (name == n) return init;
  if (name == "glorot_uniform") return Init::XavierUniform;
  if (name == "glorot_normal") return Init::XavierNormal;
  std::string valid;
  for (const auto& [init, n] : kNames) valid += (valid.empty() ? "" : ", ") + std::string(n);
  fail("unknown initialisation '", name, "' (valid: ", valid, ")");
}

std::string init_name(Init init) {
  for (const auto& [i, n] : kNames)
    if (i == init) return n;
  return "?";
}

void initialize_weights(Init init, float sigma, Tensor& weight, Tensor& bias, Rng& rng) {
  AEKIT_ASSERT(weight.ndim() >= 2, "initialize_weights needs a weight of 2+ dimensions");
  double receptive_field = 1;
  for (int d = 2; d < weight.ndim(); ++d) receptive_field *= static_cast<double>(weight.dim(d));
  const double fan_out = static_cast<double>(weight.dim(0)) * receptive_field;
  const double fan_in = static_cast<double>(weight.dim(1)) * receptive_field;
  bias.fill(0.0f);
  switch (init) {
    case Init::PyTorch: {
      auto bound = static_cast<float>(1.0 / std::sqrt(fan_in));
      fill_uniform(weight, bound, rng);
      fill_uniform(bias, bound, rng);
      break;
    }
    case Init::XavierUniform:
      fill_uniform(weight, static_cast<float>(std::sqrt(6.0 / (fan_in + fan_out))), rng);
      break;
    case Init::XavierUniformSmallBias:
      fill_uniform(weight, static_cast<float>(std::sqrt(6.0 / (fan_in + fan_out))), rng);
      fill_truncated_normal(bias, 0.001f, rng);
      break;
    case Init::XavierNormal:
      fill_normal(weight, static_cast<float>(std::sqrt(2.0 / (fan_in + fan_out))), rng);
      break;
    case Init::HeUniform:
      fill_uniform(weight, static_cast<float>(std::sqrt(6.0 / fan_in)), rng);
      break;
    case Init::HeNormal:
      fill_normal(weight, static_cast<float>(std::sqrt(2.0 / fan_in)), rng);
      break;
    case Init::Normal:
      if (!(sigma > 0.0f)) fail("init normal needs a standard deviation > 0, got ", sigma);
      fill_normal(weight, sigma, rng);
      break;
  }
}

}  // namespace aekit
