#include <aekit/recsys/ease_map.h>

#include <aekit/core/error.h>
#include <aekit/recsys/ease.h>
#include <aekit/recsys/ease_woodbury.h>

#include <algorithm>

namespace aekit {

bool ease_solves_factored(int64_t users, int64_t items, int64_t interactions) {
  return users < items && interactions > 0;
}

Tensor EaseMap::scores(const CsrMatrix& x, std::span<const int64_t> rows) const {
  return factored_ ? factored_->scores(x, rows) : ease_scores(b_, x, rows);
}

std::string EaseMap::describe() const {
  if (factored_)
    return "factored (" + std::to_string(factored_->users()) + " users, " +
           std::to_string(factored_->interaction_count()) + " interactions)";
  return "dense " + std::to_string(b_.rows()) + " x " + std::to_string(b_.cols());
}

EaseMap solve_ease_map(const CsrMatrix& x, double lambda, double dropout) {
  if (ease_solves_factored(x.rows(), x.cols(), x.nnz())) return EaseMap(ease_solve_factored(x, lambda, dropout));
  return EaseMap(ease_solve(x, lambda, dropout));
}

void add_ease_tensors(const EaseMap& map, const std::string& prefix, ModelFile& file) {
  if (!map.factored()) {
    file.tensors.push_back({prefix + "_b", map.dense()});
    return;
  }
  for (const Param& p : map.factors()->buffers()) file.tensors.push_back({prefix + "." + p.name, *p.value});
}

bool is_ease_tensor(const std::string& name, const std::string& prefix) {
  if (name == prefix + "_b") return true;
  return std::any_of(std::begin(kFactoredEaseBuffers), std::end(kFactoredEaseBuffers),
                     [&](const char* f) { return name == prefix + "." + f; });
}

EaseMap read_ease_tensors(const ModelFile& file, const std::string& prefix, int64_t items, const std::string& source) {
  if (!file.find(prefix + ".m")) {
    Tensor b = file.tensor(prefix + "_b", source);
    if (b.ndim() != 2 || b.rows() != items || b.cols() != items)
      fail(source, ": '", prefix, "_b' is not ", items, " x ", items);
    return EaseMap(std::move(b));
  }
  const Tensor& m = file.tensor(prefix + ".m", source);
  const Tensor& x = file.tensor(prefix + ".interactions", source);
  if (m.ndim() != 2 || m.dim(0) != m.dim(1) || m.dim(0) < 1)
    fail(source, ": '", prefix, ".m' is not a square users x users matrix");
  if (x.ndim() != 2 || x.dim(1) != 3 || x.dim(0) < 1)
    fail(source, ": '", prefix, ".interactions' is not an n x 3 table");
  LayerSpec spec{"factored_ease", {{"users", m.dim(0)}, {"interactions", x.dim(0)}}};
  try {
    plan_factored_ease(spec, {items});
  } catch (const InputError& e) {
    fail(source, ": ", e.what());
  }
  auto layer = std::make_unique<FactoredEase>(items, m.dim(0), x.dim(0));
  for (const Param& p : layer->buffers()) {
    const Tensor& stored = file.tensor(prefix + "." + p.name, source);
    if (stored.shape() != p.value->shape())
      fail(source, ": '", prefix, ".", p.name, "' has shape ", shape_string(stored.shape()), ", not ",
           shape_string(p.value->shape()));
    *p.value = stored;
  }
  try {
    layer->check_stored();
  } catch (const InputError& e) {
    fail(source, ": ", e.what());
  }
  return EaseMap(std::move(layer));
}

}  // namespace aekit
