// Model files are untrusted input: every size in the metadata is capped and checked against the
// stored tensors before a network is built, and size products are checked, never wrapped.
// Each test is a regression for a crafted file that once crashed aekit or made it allocate gigabytes.
#include <aekit/core/error.h>
#include <aekit/io/png_grid.h>
#include <aekit/models/dense_arch.h>
#include <aekit/models/trained_model.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/resource.h>

#include <filesystem>
#include <string>

namespace aekit {
namespace {

constexpr const char* kUntrustedSource = "crafted.aek";

ModelFile tiny_model_file(std::vector<int64_t> encoder) {
  DenseArch arch;
  arch.encoder = std::move(encoder);
  TrainedModel model;
  model.network = std::make_unique<Autoencoder>(arch.to_spec(), 1);
  return to_model_file(model);
}

std::string untrusted_load_error(const ModelFile& file) {
  try {
    from_model_file(file, kUntrustedSource);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no InputError)";
}

// The architecture as files written before layer specs hold it ("dense_autoencoder").
void set_architecture_sizes(ModelFile& file, const nlohmann::json& encoder, const nlohmann::json& decoder) {
  file.metadata["architecture"] = nlohmann::json{{"type", "dense_autoencoder"},
                                                 {"encoder", encoder},
                                                 {"decoder", decoder},
                                                 {"activation", "sigmoid"},
                                                 {"code_activation", ""},
                                                 {"output_activation", "sigmoid"},
                                                 {"dropout", 0.0},
                                                 {"init", "pytorch"},
                                                 {"init_sigma", 0.1}}
                                      .dump();
}

// Today's architecture: an input shape and layer specs.
// (Vectors, not json: a one-element braced list would become that element, not a list.)
void set_architecture_layers(ModelFile& file, const std::vector<nlohmann::json>& input_shape,
                             const std::vector<nlohmann::json>& encoder, const std::vector<nlohmann::json>& decoder) {
  nlohmann::json arch = nlohmann::json::parse(file.metadata["architecture"]);
  arch["input_shape"] = input_shape;
  arch["encoder"] = encoder;
  arch["decoder"] = decoder;
  file.metadata["architecture"] = arch.dump();
}

nlohmann::json untrusted_dense(const nlohmann::json& out) { return {{"kind", "dense"}, {"out", out}}; }

long untrusted_max_rss_kb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

TEST(UntrustedModel, ImageSizeWhoseProductWrapsIsRejected) {
  // 6 x 3074457345618258603 wraps to 2 in int64: once accepted for a 2-input model, after which
  // `reconstruct --png` wrote far past a 300-byte buffer.
  ModelFile file = tiny_model_file({2, 1});
  file.metadata["data"] = R"({"image_height": 6, "image_width": 3074457345618258603})";
  EXPECT_EQ(untrusted_load_error(file), std::string(kUntrustedSource) + ": image size 6x3074457345618258603 does not match the input size 2");
  file.metadata["data"] = R"({"image_height": 4294967296, "image_width": 4294967296})";  // 2^64 wraps to 0
  EXPECT_NE(untrusted_load_error(file).find("does not match the input size 2"), std::string::npos);
  file.metadata["data"] = R"({"image_height": 18446744073709551615, "image_width": 1})";
  EXPECT_NE(untrusted_load_error(file).find("out of range"), std::string::npos);
  file.metadata["data"] = R"({"image_height": 0, "image_width": 7})";
  EXPECT_NE(untrusted_load_error(file).find("is not an image"), std::string::npos);
  file.metadata["data"] = R"({"image_height": 1.5e300, "image_width": 1})";
  EXPECT_NE(untrusted_load_error(file).find("lacks image_height/image_width integers"), std::string::npos);
  file.metadata["data"] = R"({"image_height": 2, "image_width": 1})";
  EXPECT_NO_THROW(from_model_file(file, kUntrustedSource));
}

TEST(UntrustedModel, PngGridSizeArithmeticIsChecked) {
  Tensor images({1, 2});
  const std::string path = (std::filesystem::temp_directory_path() / "aekit-untrusted-grid.png").string();
  // An image size whose product wraps to the row length must not reach the pixel loop.
  EXPECT_THROW(write_png_grid(path, {images.view()}, 6, 3074457345618258603, 2, 2), InputError);
  Tensor one({1, 1});
  EXPECT_THROW(write_png_grid(path, {one.view()}, 1, 1, 2, 1 << 30), InputError);  // tile size overflows
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(UntrustedModel, ArchitectureIsCheckedAgainstStoredTensorsBeforeAnythingIsBuilt) {
  // A 2 KB file whose architecture asks for 40000 x 40000 weights once made `aekit info` allocate
  // 6.4 GB twice before noticing that the file holds no such tensors.
  ModelFile file = tiny_model_file({2, 1});
  set_architecture_sizes(file, {40000, 40000}, {40000, 40000});
  const long before = untrusted_max_rss_kb();
  EXPECT_EQ(untrusted_load_error(file),
            std::string(kUntrustedSource) + ": tensor 'encoder.0.weight' has shape [1, 2], the architecture needs [40000, 40000]");
  file.tensors.clear();
  EXPECT_EQ(untrusted_load_error(file), std::string(kUntrustedSource) + ": model has no tensor 'encoder.0.weight'");
  EXPECT_LT(untrusted_max_rss_kb() - before, 100 * 1024) << "kB of extra peak memory";

  // Right names, wrong shape: named before any allocation as well.
  file = tiny_model_file({2, 1});
  set_architecture_sizes(file, {2, 3}, {3, 2});
  EXPECT_EQ(untrusted_load_error(file),
            std::string(kUntrustedSource) + ": tensor 'encoder.0.weight' has shape [1, 2], the architecture needs [3, 2]");

  file = tiny_model_file({2, 1});
  file.tensors.push_back({"extra", Tensor({1})});
  EXPECT_EQ(untrusted_load_error(file), std::string(kUntrustedSource) + ": unexpected tensor 'extra' for this architecture");
}

TEST(UntrustedModel, ArchitectureSizesAreCappedAndIntegers) {
  ModelFile file = tiny_model_file({2, 1});
  set_architecture_sizes(file, {4294967296, 4294967296}, {4294967296, 4294967296});  // 2^32 x 2^32 overflows
  EXPECT_NE(untrusted_load_error(file).find("sizes must be integers in 1..268435456"), std::string::npos) << untrusted_load_error(file);
  set_architecture_sizes(file, {2, 1e300}, {1e300, 2});
  EXPECT_NE(untrusted_load_error(file).find("has size 1e+300"), std::string::npos) << untrusted_load_error(file);
  set_architecture_sizes(file, {2, -1}, {-1, 2});
  EXPECT_NE(untrusted_load_error(file).find("has size -1"), std::string::npos);
  set_architecture_sizes(file, nlohmann::json::array(), nlohmann::json::array());
  EXPECT_NE(untrusted_load_error(file).find("needs at least an input size"), std::string::npos) << untrusted_load_error(file);
  set_architecture_sizes(file, std::vector<int64_t>(2000, 2), std::vector<int64_t>(2000, 2));
  EXPECT_NE(untrusted_load_error(file).find("has 2000 sizes; at most 1024"), std::string::npos) << untrusted_load_error(file);
  set_architecture_sizes(file, "784", {1, 2});
  EXPECT_NE(untrusted_load_error(file).find("is not a list of sizes"), std::string::npos) << untrusted_load_error(file);

  set_architecture_sizes(file, {2, 1}, {1, 2});
  nlohmann::json arch = nlohmann::json::parse(file.metadata["architecture"]);
  arch["dropout"] = 1e300;  // narrowing to float would be undefined behaviour
  file.metadata["architecture"] = arch.dump();
  EXPECT_NE(untrusted_load_error(file).find("'dropout' is 1e+300, not a number in the float range"), std::string::npos)
      << untrusted_load_error(file);
}

TEST(UntrustedModel, LayerSpecArchitectureIsPlannedAndCheckedBeforeAnythingIsBuilt) {
  // The same 6.4 GB request in today's layer-spec form: planned from the layer registry, compared
  // with the stored tensors, refused before a layer is built.
  ModelFile file = tiny_model_file({2, 1});
  const long before = untrusted_max_rss_kb();
  set_architecture_layers(file, {40000}, {untrusted_dense(40000)}, {untrusted_dense(40000)});
  EXPECT_EQ(untrusted_load_error(file),
            std::string(kUntrustedSource) + ": tensor 'encoder.0.weight' has shape [1, 2], the architecture needs [40000, 40000]");
  set_architecture_layers(file, {268435456}, {untrusted_dense(16777216)}, {untrusted_dense(268435456)});  // 2^52 weights
  EXPECT_NE(untrusted_load_error(file).find("decoder layer 1 (dense(out=268435456)): layer dense: out must be in [1, 2^24]"),
            std::string::npos)
      << untrusted_load_error(file);
  set_architecture_layers(file, {268435456}, {untrusted_dense(16777216)}, {untrusted_dense(16777216), untrusted_dense(268435456)});
  EXPECT_NE(untrusted_load_error(file).find("out must be in [1, 2^24]"), std::string::npos) << untrusted_load_error(file);
  set_architecture_layers(file, {2}, {untrusted_dense(16777216)}, {untrusted_dense(2)});
  EXPECT_EQ(untrusted_load_error(file),
            std::string(kUntrustedSource) + ": tensor 'encoder.0.weight' has shape [1, 2], the architecture needs [16777216, 2]");
  EXPECT_LT(untrusted_max_rss_kb() - before, 100 * 1024) << "kB of extra peak memory";

  set_architecture_layers(file, {1e300}, {untrusted_dense(1)}, {untrusted_dense(2)});
  EXPECT_NE(untrusted_load_error(file).find("'input_shape' has dimension 1e+300"), std::string::npos) << untrusted_load_error(file);
  set_architecture_layers(file, {65536, 65536}, {untrusted_dense(1)}, {untrusted_dense(2)});  // 2^32 values per sample
  EXPECT_NE(untrusted_load_error(file).find("input shape [65536, 65536] is not a valid size"), std::string::npos)
      << untrusted_load_error(file);
  set_architecture_layers(file, {18446744073709551615ull}, {untrusted_dense(1)}, {untrusted_dense(2)});
  EXPECT_NE(untrusted_load_error(file).find("has dimension 18446744073709551615"), std::string::npos) << untrusted_load_error(file);
  set_architecture_layers(file, {2}, {untrusted_dense(1)}, {untrusted_dense(3)});
  EXPECT_NE(untrusted_load_error(file).find("the decoder ends with 3 values per sample but the input has 2"), std::string::npos)
      << untrusted_load_error(file);
  set_architecture_layers(file, {2}, {untrusted_dense(1), {{"kind", "dropout"}, {"p", 1e300}}}, {untrusted_dense(2)});
  EXPECT_NE(untrusted_load_error(file).find("encoder layer 2 (dropout(p=1e+300)): dropout probability must be in [0, 1)"),
            std::string::npos)
      << untrusted_load_error(file);
  set_architecture_layers(file, {2}, {untrusted_dense(1), {{"kind", "kl_sparsity"}, {"rho", 7}}}, {untrusted_dense(2)});
  EXPECT_NE(untrusted_load_error(file).find("kl_sparsity: rho must be in (0, 1)"), std::string::npos) << untrusted_load_error(file);
  set_architecture_layers(file, {2}, {{{"kind", "dense"}, {"out", 1}, {"init_sigma", 1e300}}}, {untrusted_dense(2)});
  EXPECT_NE(untrusted_load_error(file).find("init_sigma 1e+300 is outside the float range"), std::string::npos)
      << untrusted_load_error(file);
  set_architecture_layers(file, {2}, {{{"kind", "teleport"}}}, {untrusted_dense(2)});
  EXPECT_NE(untrusted_load_error(file).find("unknown layer kind 'teleport'"), std::string::npos) << untrusted_load_error(file);
  set_architecture_layers(file, {2}, {untrusted_dense(1)}, std::vector<nlohmann::json>(5000, {{"kind", "dropout"}, {"p", 0.1}}));
  EXPECT_NE(untrusted_load_error(file).find("5000 decoder layers; at most 1024"), std::string::npos) << untrusted_load_error(file);
  nlohmann::json arch = nlohmann::json::parse(file.metadata["architecture"]);
  arch["init_sigma"] = -1e300;
  file.metadata["architecture"] = arch.dump();
  EXPECT_NE(untrusted_load_error(file).find("'init_sigma' -1e+300 is not a float"), std::string::npos) << untrusted_load_error(file);
}

TEST(UntrustedModel, WeightlessLayersCannotAskForHugeActivations) {
  // No tensor to compare with: upsampling an 8x8 image to 8192x8192 (2^26 values, under the
  // per-layer cap of 2^28) and keeping that size through four more upsample(scale=1) layers asks
  // for 5 x 2^26 activations per sample (1.25 GiB each, 1.3 TB for an inference chunk of 1024
  // rows). The budget on all the layers' outputs together refuses it while planning.
  ModelFile file = tiny_model_file({64, 1});
  const nlohmann::json up = {{"kind", "upsample"}, {"scale", 1024}}, same = {{"kind", "upsample"}, {"scale", 1}};
  const nlohmann::json pool = {{"kind", "max_pool2d"}, {"kernel", 1024}}, flatten = {{"kind", "flatten"}};
  const long before = untrusted_max_rss_kb();
  set_architecture_layers(file, {1, 8, 8}, {up, same, same, same, same, pool}, {flatten});
  EXPECT_NE(untrusted_load_error(file).find("encoder layer 5 (upsample(scale=1)): the layers' outputs so far add up to 335544320 "
                                  "values per sample, more than the budget of 268435456"),
            std::string::npos)
      << untrusted_load_error(file);
  EXPECT_LT(untrusted_max_rss_kb() - before, 100 * 1024) << "kB of extra peak memory";
  // Building such a network directly is refused the same way, before its outputs are allocated.
  ModelSpec spec = ModelSpec::from_json(nlohmann::json::parse(file.metadata["architecture"]), kUntrustedSource);
  try {
    Autoencoder net(spec, 1);
    ADD_FAILURE() << "built";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("more than the budget of 268435456"), std::string::npos) << e.what();
  }
  // Within the budget (3 x 2^26 and two small outputs) the same kind of model plans as usual.
  set_architecture_layers(file, {1, 8, 8}, {up, same, same, pool}, {flatten});
  EXPECT_EQ(untrusted_load_error(file).find("budget"), std::string::npos) << untrusted_load_error(file);
}

TEST(UntrustedModel, PreprocessingFeaturesMustMatchTheInputBeforeVectorsAreBuilt) {
  ModelFile file = tiny_model_file({2, 1});
  file.metadata["preprocessing"] = R"({"kind": "scale", "features": 1099511627776, "max_abs": 255})";
  const long before = untrusted_max_rss_kb();
  EXPECT_EQ(untrusted_load_error(file),
            std::string(kUntrustedSource) + ": preprocessing has 1099511627776 features but the model's input has 2");
  EXPECT_LT(untrusted_max_rss_kb() - before, 100 * 1024) << "kB of extra peak memory";
}

TEST(UntrustedModel, TensorShapesAgreeWithTheNetwork) {
  std::vector<ModelSpec> specs;
  for (const auto& [encoder, decoder] : std::vector<std::pair<std::vector<int64_t>, std::vector<int64_t>>>{
           {{784, 128, 64}, {}}, {{5, 3}, {3, 4, 5}}, {{7, 6, 5, 4}, {4, 7}}}) {
    DenseArch arch;
    arch.encoder = encoder;
    arch.decoder = decoder;
    arch.dropout = 0.25f;  // dropout layers have no parameters and must not shift the numbering
    specs.push_back(arch.to_spec());
  }
  ModelSpec penalties;
  penalties.input_shape = {3, 2, 2};  // an image-shaped input, flattened by the first dense layer
  penalties.encoder = parse_layer_specs("dense(out=5, activation=relu) kl_sparsity(rho=0.1) dense(out=3)", "encoder");
  penalties.decoder = parse_layer_specs("l1_activity(weight=0.1) dropout(p=0.5) dense(out=12, init=normal)", "decoder");
  specs.push_back(penalties);
  ModelSpec image;  // every image kind, batch norm's buffers included
  image.input_shape = {1, 8, 8};
  image.encoder = parse_layer_specs(
      "conv2d(out=4, kernel=3, padding=1, activation=relu) batch_norm2d() max_pool2d(kernel=2) "
      "conv2d(out=2, kernel=3, stride=2, padding=1, bias=false) flatten() dense(out=3)",
      "encoder");
  image.decoder = parse_layer_specs(
      "dense(out=8) reshape(channels=2, height=2, width=2) upsample(scale=2) batch_norm2d(affine=false) "
      "conv_transpose2d(out=1, kernel=3, stride=2, padding=1, output_padding=1, activation=sigmoid)",
      "decoder");
  specs.push_back(image);
  for (const ModelSpec& spec : specs) {
    Autoencoder net(spec, 0);
    const auto expected = spec.tensor_shapes();
    auto params = net.params();
    for (const Param& b : net.buffers()) params.push_back(b);
    ASSERT_EQ(params.size(), expected.size());
    for (size_t i = 0; i < params.size(); ++i) {
      EXPECT_EQ(params[i].name, expected[i].first);
      EXPECT_EQ(params[i].value->shape(), expected[i].second) << params[i].name;
    }
  }
}

}  // namespace
}  // namespace aekit
