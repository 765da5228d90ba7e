#include <aekit/recsys/implicit_rows.h>

#include <aekit/core/error.h>
#include <aekit/core/parallel_for.h>
#include <aekit/core/threads.h>
#include <aekit/recsys/multinomial_loss.h>
#include <aekit/recsys/ranking_metrics.h>
#include <aekit/recsys/row_normalisation.h>
#include <aekit/recsys/sparse_rows.h>

#include <algorithm>
#include <cmath>

namespace aekit {

ImplicitRows::ImplicitRows(Autoencoder& model, const CsrMatrix& interactions, ImplicitRowsOptions options)
    : model_(model), net_(model), options_(options), train_(interactions), rng_(options.seed ^ 0x5EEDD80Bull) {
  if (!(options.input_dropout >= 0.0f && options.input_dropout < 1.0f))
    fail("--input-dropout must be in [0, 1), got ", options.input_dropout);
  const int64_t outputs = model.layer(model.layer_count() - 1).out_features();
  if (interactions.cols() != model.input_size() || outputs != model.input_size())
    fail("the interaction matrix has ", interactions.cols(), " columns but the model maps ", model.input_size(),
         " inputs to ", outputs, " outputs");
  val_ = CsrMatrix::from_entries(interactions.rows(), interactions.cols(), {});
  universe_ = columns_with_entries(interactions);
  prepare_rows();
  if (options.transposed_first_weight && model.params().front().value->size() <= ImplicitRowsOptions::kTransposedWeights)
    net_.train_first_weight_transposed();
}

void ImplicitRows::prepare_rows() {
  train_input_ = l2_normalised_rows(train_);
  train_ids_.clear();
  for (int64_t r = 0; r < train_.rows(); ++r)
    if (train_.row_nnz(r) > 0) train_ids_.push_back(r);
}

void ImplicitRows::hold_out(float fraction, Rng& rng) {
  if (hold_out_entries(train_, val_, fraction, rng)) prepare_rows();
}

double ImplicitRows::train_batch(std::span<const int64_t> positions) {
  batch_rows_.resize(positions.size());
  for (size_t i = 0; i < positions.size(); ++i) batch_rows_[i] = train_ids_[static_cast<size_t>(positions[i])];
  dropped_ = drop_input_ratings(train_input_, batch_rows_, options_.input_dropout, rng_);
  batch_positions_.resize(batch_rows_.size());
  for (size_t b = 0; b < batch_positions_.size(); ++b) batch_positions_[b] = static_cast<int64_t>(b);
  const ConstMatrixView logits = net_.forward_full(dropped_.input, batch_positions_, Mode::Train);
  grad_.resize({logits.rows, logits.cols});
  backward_ran_ = false;
  const double loss = multinomial_nll(logits, train_, batch_rows_, grad_.view());
  if (!std::isfinite(loss)) return loss;
  // The trainer skips (or stops at) a batch whose objective is not finite: no weight may have
  // moved by then, so the first layer's rows are updated here only when it is finite.
  double objective = loss;
  for (const LossTerm& t : model_.loss_terms()) objective += t.value;
  net_.backward_full(grad_.view(), std::isfinite(objective));
  backward_ran_ = true;
  return loss;
}

void ImplicitRows::use_row_updates(Optimizer& optimizer) {
  net_.use_row_updates(&optimizer, params());
}

std::vector<Rng*> ImplicitRows::generators() {
  std::vector<Rng*> all = model_.generators();
  if (options_.input_dropout > 0.0f) all.push_back(&rng_);
  return all;
}

double ImplicitRows::validation_loss() {
  const LoopsOnTeam on_team(num_threads());  // its products too (steps_on_team)
  std::vector<int64_t> rows;
  for (int64_t r = 0; r < val_.rows(); ++r)
    if (val_.row_nnz(r) > 0) rows.push_back(r);
  constexpr size_t kChunk = 256;
  const int64_t k = kRankingCutoffs[std::size(kRankingCutoffs) - 1];
  RankingAccumulator acc;
  std::vector<uint8_t> allowed;
  std::vector<int64_t> held;
  for (size_t begin = 0; begin < rows.size(); begin += kChunk) {
    const auto chunk = std::span(rows).subspan(begin, std::min(kChunk, rows.size() - begin));
    const ConstMatrixView logits = net_.forward_full(train_input_, chunk, Mode::Infer);
    for (size_t b = 0; b < chunk.size(); ++b) {
      candidates_of_row(universe_, train_, chunk[b], allowed);
      const auto ranked = top_k(std::span(logits.row(static_cast<int64_t>(b)), static_cast<size_t>(logits.cols)),
                                allowed, k);
      // The relevant held-out items are the interactions of weight 1: with --low-rating-weight,
      // a held-out low rating leaves the input but is no hit (the test's relevance is positives).
      const auto cols = val_.row_cols(chunk[b]);
      const auto vals = val_.row_values(chunk[b]);
      held.clear();
      for (size_t e = 0; e < cols.size(); ++e)
        if (vals[e] >= 1.0f) held.push_back(cols[e]);
      acc.add(ranked, held, static_cast<int64_t>(held.size()));
    }
  }
  return 1.0 - acc.result().ndcg[std::size(kRankingCutoffs) - 1];
}

}  // namespace aekit
