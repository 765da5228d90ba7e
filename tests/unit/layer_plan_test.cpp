// Every registered layer kind has a planner that agrees with its builder: a model file is checked
// against the plans (output shapes, parameter names and shapes) before anything is built, so a
// kind whose plan and layer differ would let a file through that the network does not fit.
// A kind registered without an example here fails the first test: add one when adding a kind.
#include <aekit/core/error.h>
#include <aekit/core/rng.h>
#include <aekit/layers/layer_registry.h>

#include <gtest/gtest.h>

#include <map>

namespace aekit {
namespace {

// Per kind: example specs and the input shape (one sample) to build them on.
const std::multimap<std::string, std::pair<std::string, Shape>>& examples() {
  static const std::multimap<std::string, std::pair<std::string, Shape>> all = {
      // Built after the layer they refer to (kBefore, below).
      {"contractive", {"contractive(weight=0.1)", {4}}},
      {"tied_dense", {"tied_dense(tie=encoder.0, out=6, activation=sigmoid)", {4}}},
      {"dense", {"dense(out=7, activation=relu)", {5}}},
      {"dense", {"dense(out=3, init=normal, init_sigma=0.5)", {2, 3, 4}}},
      {"dropout", {"dropout(p=0.25)", {6}}},
      {"dropout", {"dropout(p=0)", {1, 4, 4}}},
      {"corrupt", {"corrupt(noise=masking, level=0.25)", {7}}},
      {"corrupt", {"corrupt(level=0.1)", {1, 3, 3}}},
      {"l1_activity", {"l1_activity(weight=0.01)", {9}}},
      {"kl_sparsity", {"kl_sparsity(rho=0.05, beta=3)", {4}}},
      {"gaussian_sample", {"gaussian_sample()", {8}}},
      {"gaussian_sample", {"gaussian_sample(beta=4, warmup=10)", {2}}},
      {"conv2d", {"conv2d(out=4, kernel=3, padding=1, activation=relu)", {2, 6, 5}}},
      {"conv2d", {"conv2d(out=3, kernel=2x3, stride=2, dilation=1, bias=false, init=he_normal)", {1, 7, 9}}},
      {"conv_transpose2d", {"conv_transpose2d(out=2, kernel=3, stride=2, padding=1, output_padding=1)", {3, 4, 4}}},
      {"conv_transpose2d", {"conv_transpose2d(out=1, kernel=2, bias=false)", {2, 3, 3}}},
      {"max_pool2d", {"max_pool2d(kernel=2)", {3, 6, 6}}},
      {"max_pool2d", {"max_pool2d(kernel=3, stride=2, padding=1, ceil_mode=true)", {1, 7, 7}}},
      {"upsample", {"upsample(scale=2)", {2, 3, 3}}},
      {"upsample", {"upsample(height=5, width=7, mode=bilinear, align_corners=true)", {1, 2, 3}}},
      {"batch_norm2d", {"batch_norm2d()", {3, 4, 4}}},
      {"batch_norm2d", {"batch_norm2d(affine=false, momentum=none, eps=0.001)", {2, 2, 2}}},
      {"flatten", {"flatten()", {2, 3, 4}}},
      {"reshape", {"reshape(channels=2, height=3, width=4)", {24}}},
      {"factored_ease", {"factored_ease(users=3, interactions=5)", {7}}},
  };
  return all;
}

TEST(LayerPlan, EveryRegisteredKindHasAnExample) {
  for (const LayerKind& k : layer_kinds()) {
    EXPECT_TRUE(k.plan) << k.kind << " has no planner";
    EXPECT_GT(examples().count(k.kind), 0u) << "add an example of '" << k.kind << "' to " << __FILE__;
  }
}

// The layer that the contractive and tied_dense examples refer to: built on 6 values, named
// encoder.0, and the layer before them.
const char* const kBefore = "dense(out=4, activation=tanh)";

TEST(LayerPlan, PlansMatchTheBuiltLayers) {
  for (const auto& [kind, example] : examples()) {
    const auto& [text, in_shape] = example;
    const LayerSpec spec = parse_layer_specs(text, "example")[0];
    const LayerPlan plan = plan_layer(spec, in_shape);
    Rng rng(1);
    const LayerSpec before_spec = parse_layer_specs(kBefore, "before")[0];
    const BuiltLayer before = build_layer({before_spec, {6}, Init::PyTorch, 0.1f, rng, 1.0, nullptr, nullptr, {}});
    Layer* before_layer = before.layer.get();
    auto find = [before_layer](const std::string& name) { return name == "encoder.0" ? before_layer : nullptr; };
    // build_layer asserts plan == layer too; compared here as well so a failure names the example.
    const BuiltLayer built = build_layer({spec, in_shape, Init::PyTorch, 0.1f, rng, 1.0, find, before_layer, {before_layer}});
    EXPECT_EQ(plan.out_shape, built.out_shape) << text;
    const std::vector<Param> params = built.layer->params();
    ASSERT_EQ(plan.params.size(), params.size()) << text;
    for (size_t i = 0; i < params.size(); ++i) {
      EXPECT_EQ(plan.params[i].first, params[i].name) << text;
      EXPECT_EQ(plan.params[i].second, params[i].value->shape()) << text;
    }
    const std::vector<Param> buffers = built.layer->buffers();
    ASSERT_EQ(plan.buffers.size(), buffers.size()) << text;
    for (size_t i = 0; i < buffers.size(); ++i) {
      EXPECT_EQ(plan.buffers[i].first, buffers[i].name) << text;
      EXPECT_EQ(plan.buffers[i].second, buffers[i].value->shape()) << text;
    }
  }
}

TEST(LayerPlan, PlannersRejectWhatBuildersReject) {
  for (const char* bad : {"dense(out=0)", "dense(out=16777217)", "dense(out=3, activation=nope)",
                          "dense(out=3, init_sigma=1e300)", "dropout(p=1)", "dropout(p=-0.5)",
                          "l1_activity(weight=-1)", "kl_sparsity(rho=0)", "kl_sparsity(rho=0.5, beta=-1)",
                          "contractive(weight=-1)", "contractive(weight=1, out=3)", "tied_dense(out=3)",
                          "tied_dense(tie=encoder.0)", "tied_dense(tie=encoder.0, out=0)",
                          "tied_dense(tie=encoder.0, out=3, activation=nope)", "gaussian_sample(beta=-1)",
                          "gaussian_sample(warmup=-1)", "gaussian_sample(warmup=2.5)", "gaussian_sample(rho=1)",
                          "dense(out=3, typo=1)", "unknown_kind(x=1)", "factored_ease(users=0, interactions=2)",
                          "factored_ease(users=2, interactions=0)", "factored_ease(users=16777217, interactions=2)",
                          "factored_ease(users=2, interactions=4611686018427387904)", "factored_ease(users=2)"}) {
    const LayerSpec spec = parse_layer_specs(bad, "bad")[0];
    EXPECT_THROW(plan_layer(spec, {4}), InputError) << bad;
  }
  const Shape image{2, 4, 4};
  for (const char* bad : {"conv2d(out=3, kernel=5)", "conv2d(out=65536, kernel=65536x65536)",
                          "conv2d(out=3, kernel=3, init_sigma=1e300)", "conv_transpose2d(out=0, kernel=2)",
                          "max_pool2d(kernel=9)", "upsample(scale=0)", "batch_norm2d(eps=1e300)",
                          "batch_norm2d(momentum=2)", "reshape(channels=3, height=3, width=3)", "flatten(x=1)"}) {
    const LayerSpec spec = parse_layer_specs(bad, "bad")[0];
    EXPECT_THROW(plan_layer(spec, image), InputError) << bad;
  }
  // Image layers on vectors say what to do instead.
  EXPECT_THROW(plan_layer(parse_layer_specs("conv2d(out=1, kernel=1)", "x")[0], {16}), InputError);
  // The sampling layer takes means and log-variances: an even number of values, not an image.
  EXPECT_THROW(plan_layer(parse_layer_specs("gaussian_sample()", "x")[0], {5}), InputError);
  EXPECT_THROW(plan_layer(parse_layer_specs("gaussian_sample()", "x")[0], image), InputError);
  // factored_ease maps a vector of items.
  EXPECT_THROW(plan_layer(parse_layer_specs("factored_ease(users=2, interactions=2)", "x")[0], image), InputError);
}

}  // namespace
}  // namespace aekit
