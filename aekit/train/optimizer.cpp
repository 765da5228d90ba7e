// PyTorch's defaults and argument checks for each optimizer, and the factory.
#include <aekit/core/error.h>
#include <aekit/train/optimizer.h>
#include <aekit/train/optimizers/optimizers.h>

namespace aekit {
namespace {

constexpr const char* kValidNames = "sgd, rmsprop, adam, adamw, adagrad";

[[noreturn]] void fail_unknown(const std::string& name) {
  fail("unknown optimizer '", name, "' (valid: ", kValidNames, ")");
}

// `!(value >= 0)` rather than `value < 0` so that NaN is rejected too.
void check_non_negative(const OptimizerConfig& c, const char* field, float value) {
  if (!(value >= 0.0f)) fail("optimizer ", c.name, ": ", field, " must be >= 0, got ", value);
}

void check_beta(const OptimizerConfig& c, const char* field, float value) {
  if (!(value >= 0.0f && value < 1.0f))
    fail("optimizer ", c.name, ": ", field, " must be in [0, 1), got ", value);
}

}  // namespace

// The checks torch.optim's constructors make (1.13), each only for the optimizer that has it.
void validate(const OptimizerConfig& c) {
  check_non_negative(c, "lr", c.lr);
  check_non_negative(c, "weight_decay", c.weight_decay);
  if (c.name != "sgd") check_non_negative(c, "eps", c.eps);
  if (c.name == "sgd" || c.name == "rmsprop") check_non_negative(c, "momentum", c.momentum);
  if (c.name == "sgd" && c.nesterov && (c.momentum <= 0.0f || c.dampening != 0.0f))
    fail("optimizer sgd: nesterov needs momentum > 0 and dampening = 0, got momentum ",
         c.momentum, " and dampening ", c.dampening);
  if (c.name == "adam" || c.name == "adamw") {
    check_beta(c, "beta1", c.beta1);
    check_beta(c, "beta2", c.beta2);
  }
  if (c.name == "rmsprop") check_non_negative(c, "alpha", c.alpha);
  if (c.name == "adagrad") {
    check_non_negative(c, "lr_decay", c.lr_decay);
    check_non_negative(c, "initial_accumulator_value", c.initial_accumulator_value);
  }
}


OptimizerConfig OptimizerConfig::defaults_for(const std::string& name) {
  OptimizerConfig c;  // the member initialisers are Adam's defaults
  c.name = name;
  if (name == "sgd") {
    // torch 1.13 has no default lr for SGD (it is a required argument); 1e-3 is aekit's choice.
    c.lr = 1e-3f;
  } else if (name == "rmsprop") {
    c.lr = 1e-2f;
    c.alpha = 0.99f;
    c.eps = 1e-8f;
  } else if (name == "adam") {
    c.lr = 1e-3f;
    c.eps = 1e-8f;
  } else if (name == "adamw") {
    c.lr = 1e-3f;
    c.eps = 1e-8f;
    c.weight_decay = 1e-2f;
  } else if (name == "adagrad") {
    c.lr = 1e-2f;
    c.eps = 1e-10f;
  } else {
    fail_unknown(name);
  }
  return c;
}

std::unique_ptr<Optimizer> make_optimizer(const OptimizerConfig& config,
                                          std::vector<ParamRef> params) {
  for (const ParamRef& p : params)
    AEKIT_ASSERT(p.size == 0 || (p.value != nullptr && p.grad != nullptr), "parameter of size ",
                 p.size, " without storage");
  const auto factory = [&]() -> decltype(&detail::make_sgd) {
    if (config.name == "sgd") return detail::make_sgd;
    if (config.name == "rmsprop") return detail::make_rmsprop;
    if (config.name == "adam" || config.name == "adamw") return detail::make_adam;
    if (config.name == "adagrad") return detail::make_adagrad;
    fail_unknown(config.name);
  }();
  validate(config);
  return factory(config, std::move(params));
}

}  // namespace aekit
