#pragma once
// The concrete optimizers behind make_optimizer (aekit/train/optimizer.cpp), one file each.
// They take an already validated configuration; adamw is adam with decoupled weight decay.
#include <aekit/train/optimizer.h>

#include <memory>
#include <vector>

namespace aekit::detail {

std::unique_ptr<Optimizer> make_sgd(const OptimizerConfig& config, std::vector<ParamRef> params);
std::unique_ptr<Optimizer> make_rmsprop(const OptimizerConfig& config, std::vector<ParamRef> params);
std::unique_ptr<Optimizer> make_adam(const OptimizerConfig& config, std::vector<ParamRef> params);
std::unique_ptr<Optimizer> make_adagrad(const OptimizerConfig& config, std::vector<ParamRef> params);

}  // namespace aekit::detail
