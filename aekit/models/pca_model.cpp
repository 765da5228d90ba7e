#include <aekit/models/pca_model.h>

#include <aekit/core/error.h>
#include <aekit/models/dense_arch.h>

namespace aekit {

namespace {

ModelSpec linear_spec(int64_t features, int64_t components) {
  DenseArch arch;
  arch.encoder = {features, components};
  arch.activation = "identity";
  arch.output_activation = "identity";
  return arch.to_spec();
}

Tensor& param(Autoencoder& network, const std::string& name) {
  Tensor* found = nullptr;
  for (const Param& p : network.params())
    if (p.name == name) found = p.value;
  AEKIT_ASSERT(found != nullptr, "the linear autoencoder has no parameter ", name);
  return *found;
}

}  // namespace

TrainedModel make_pca_model(const Pca& pca, const Preprocessor& preprocessor, nlohmann::json record) {
  const int64_t d = pca.features(), k = pca.size();
  TrainedModel model;
  model.network = std::make_unique<Autoencoder>(linear_spec(d, k), 0);
  model.preprocessor = preprocessor;
  model.loss = "mse";

  Tensor& enc_w = param(*model.network, "encoder.0.weight");  // k x d
  Tensor& enc_b = param(*model.network, "encoder.0.bias");
  Tensor& dec_w = param(*model.network, "decoder.0.weight");  // d x k
  Tensor& dec_b = param(*model.network, "decoder.0.bias");
  for (int64_t i = 0; i < k; ++i) {
    const float* v = pca.components.row(i);
    double projected_mean = 0;
    for (int64_t j = 0; j < d; ++j) {
      enc_w.row(i)[j] = v[j];
      dec_w.row(j)[i] = v[j];
      projected_mean += static_cast<double>(v[j]) * pca.mean[j];
    }
    enc_b[i] = static_cast<float>(-projected_mean);
  }
  for (int64_t j = 0; j < d; ++j) dec_b[j] = pca.mean[j];

  if (!record.is_object()) record = nlohmann::json::object();
  record["method"] = "pca";
  record["components"] = k;
  record["rows"] = pca.rows;
  record["variances"] = std::vector<double>(pca.variances.begin(), pca.variances.begin() + k);
  record["total_variance"] = pca.total_variance();
  record["explained_variance_ratio"] = pca.total_variance() > 0 ? pca.kept_variance() / pca.total_variance() : 1.0;
  record["discarded_variance"] = pca.discarded_variance();
  model.training = std::move(record);
  return model;
}

TrainedModel fit_pca_model(Dataset& data, int64_t components, PreprocessKind preprocess) {
  if (data.x.rows() == 0) fail(data.source, ": no rows to fit a PCA on");
  if (components < 1 || components > data.x.cols())
    fail("--components ", components, ": must be between 1 and the number of features of ", data.source, " (",
         data.x.cols(), ")");
  Preprocessor preprocessor = Preprocessor::fit(preprocess, data.x);
  preprocessor.apply(data.x);
  const Pca pca = fit_pca(data.x.view(), components);
  TrainedModel model = make_pca_model(pca, preprocessor, {{"data", data.source}});
  model.image_height = data.image_height;
  model.image_width = data.image_width;
  return model;
}

bool is_pca_model(const TrainedModel& model) {
  return model.training.is_object() && model.training.value("method", "") == "pca";
}

}  // namespace aekit
