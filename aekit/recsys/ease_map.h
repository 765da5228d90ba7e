#pragma once
// EASE's item-item map B (ease.h) in the form it was solved in, and the rule that picks the form:
//   dense     B itself, items x items floats (ease_solve: an items^3 inversion)
//   factored  the factored_ease layer (ease_woodbury.h: a users^3 inversion, a few MB)
// The factored form is used whenever X has fewer users (rows) than items (columns) and at least
// one interaction: it costs users^3 plus twice the sum over items of their squared counts to
// solve where the dense form costs items^3, and holds users^2 + 3 nnz(X) + 3 items floats against
// items^2. On movielens-small-shaped data (671 users, 90,000 interactions) it is the faster one from
// about 1,200 items (1.8 x the users) up; below that the rule still takes it, at up to 4x the dense
// solve's tens of milliseconds, for the smaller model (BENCHMARKS.md, "EASE through the users").
// Most large datasets have more users than items and keep the dense form. `aekit train --model ease|edlae` stores either form as its network (ease_fit.h), ease-vae
// beside its network (recommender.h).
#include <aekit/core/csr_matrix.h>
#include <aekit/core/tensor.h>
#include <aekit/io/model_file.h>
#include <aekit/layers/factored_ease.h>

#include <memory>
#include <span>
#include <string>

namespace aekit {

// Whether EASE on a users x items X is solved factored.
bool ease_solves_factored(int64_t users, int64_t items, int64_t interactions);

class EaseMap {
 public:
  EaseMap() = default;
  explicit EaseMap(Tensor b) : b_(std::move(b)) {}
  explicit EaseMap(std::unique_ptr<FactoredEase> factored) : factored_(std::move(factored)) {}

  bool empty() const { return !factored_ && b_.empty(); }
  bool factored() const { return factored_ != nullptr; }
  int64_t items() const { return factored_ ? factored_->in_features() : b_.rows(); }
  // The dense B (empty when factored) and the factored layer (null when dense).
  const Tensor& dense() const { return b_; }
  FactoredEase* factors() const { return factored_.get(); }
  // rows.size() x items: the scores x[rows] B of the listed rows of x.
  Tensor scores(const CsrMatrix& x, std::span<const int64_t> rows) const;
  // "dense 9066 x 9066" or "factored (671 users, 90000 interactions)".
  std::string describe() const;

 private:
  Tensor b_;
  std::unique_ptr<FactoredEase> factored_;
};

// ease_solve or ease_solve_factored, by ease_solves_factored.
EaseMap solve_ease_map(const CsrMatrix& x, double lambda, double dropout = 0.0);

// A map as model-file tensors: dense as `prefix`_b ("recommender.ease_b", as ease-vae has always
// stored it), factored as `prefix`.<buffer> (factored_ease.h's five buffers).
void add_ease_tensors(const EaseMap& map, const std::string& prefix, ModelFile& file);
// The map those tensors hold, for `items` items; InputError naming `source` when they are missing,
// of other shapes, or hold values factored_ease refuses. Nothing is allocated beyond the file's
// own tensors.
EaseMap read_ease_tensors(const ModelFile& file, const std::string& prefix, int64_t items, const std::string& source);
// Whether a tensor name is one of the map's.
bool is_ease_tensor(const std::string& name, const std::string& prefix);

}  // namespace aekit
