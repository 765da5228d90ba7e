#include <aekit/recsys/recommender_job.h>

#include <aekit/core/error.h>
#include <aekit/core/thread_choice.h>
#include <aekit/core/threads.h>
#include <aekit/recsys/ease_fit.h>
#include <aekit/recsys/ease_map.h>
#include <aekit/recsys/ease_vae.h>
#include <aekit/recsys/implicit_rows.h>
#include <aekit/recsys/rating_split.h>
#include <aekit/recsys/recommender_kinds.h>
#include <aekit/recsys/sparse_batch_work.h>
#include <aekit/recsys/sparse_rows.h>
#include <aekit/recsys/weighted_ease.h>
#include <aekit/train/checkpoint.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>

namespace aekit {

namespace {

nlohmann::json history_json(const TrainResult& result) {
  nlohmann::json epochs = nlohmann::json::array();
  for (const EpochReport& e : result.history) {
    nlohmann::json row{{"epoch", e.epoch}, {"train_loss", e.train_loss}, {"seconds", e.seconds}};
    if (!std::isnan(e.val_loss)) row["val_loss"] = e.val_loss;
    epochs.push_back(row);
  }
  return epochs;
}

// ease and mult-* read every training rating as an interaction unless --interaction-threshold says otherwise.
constexpr float kEveryRatingIsAnInteraction = std::numeric_limits<float>::lowest();

// The interactions the training ratings stand for, unscaled: EASE's X.
CsrMatrix interaction_matrix(const Recommender& model) {
  const CsrMatrix& r = model.train.by_user;
  return CsrMatrix::from_entries(r.rows(), r.cols(), interactions(model, r.entries()));
}

// A network's rows: the multinomial models read the interactions unnormalised (ImplicitRows scales
// its inputs itself and needs the counts as targets), the others the ratings; items as rows where
// the kind says so.
CsrMatrix network_rows(const Recommender& model, const RecommenderKind& kind) {
  if (kind.multinomial) return kind.item_rows ? interaction_matrix(model).transpose() : interaction_matrix(model);
  return kind.item_rows ? model.train.by_user.transpose() : model.train.by_user;
}

// A network trained through the one training loop on the sparse rows of the rating matrix, in two
// steps. The constructor checks the options, reads a --resume checkpoint and builds the network and
// its source of batches: whatever it refuses is refused before any work (ease-vae solves its EASE
// part between the two) and before anything is printed. train() runs the selection run and the
// refit; `after_selection`, when given, sees the source of the selection run (its carve) and the
// network at its best epoch, before any refit. The sources refer to rows_ and the network: a
// NetworkRun stays where it was built.
class NetworkRun {
 public:
  NetworkRun(Recommender& model, const RecommenderKind& kind, TrainOptions& options, const RecommenderJobHooks& hooks)
      : model_(model), kind_(kind), options_(options), hooks_(hooks) {
    rows_ = network_rows(model, kind);
    // The dense shorthand's sizes are hidden sizes here: the input is the rating matrix's width.
    DenseArch& arch = options.model;
    if (options.arch_given) arch.encoder.insert(arch.encoder.begin(), rows_.cols());
    else arch.encoder.front() = rows_.cols();
    if (!arch.decoder.empty()) arch.decoder.back() = rows_.cols();
    // The likelihood is the model's (a mult-vae's KL is then per user, model_from_options.cpp).
    if (kind.multinomial) options.loss = "multinomial";
    spec_ = options.model_spec(Shape{rows_.cols()});
    if (options.refeed != 0 && kind.multinomial)
      fail("--refeed is for the rating networks (deeprec, autorec-*), not ", kind.name);
    if (options.refit && !(options.train.validation_split > 0.0f)) {
      // A model's default refit (autorec-i's, mult-*'s) when the command turned the carve off: the
      // network then trains on every rating already, so there is nothing to refit. Named, it is an error.
      if (options.given && !options.named("refit")) options.refit = false;
      else fail("--refit trains for the epoch count a validation carve chose: it needs --validation-split > 0");
    }
    model.network.loss = recommender_loss(kind);
    model.network.preprocessor = Preprocessor::fit(PreprocessKind::None, Tensor({1, rows_.cols()}));
    // With --resume the checkpoint is read and checked against the options and ratings now. ease-vae's
    // rows are weighed again once EASE's carve has chosen the weight (reweigh): its checkpoints name
    // the ratings, which the settings (recorded beside) turn into those rows.
    control_ = checkpoint_control(options, data_fingerprint(kind.ease_part ? model.train.by_user : rows_), hooks.stop);
    // Built before anything is printed: a network the source cannot run is refused first.
    source_ = build();
  }
  NetworkRun(const NetworkRun&) = delete;
  NetworkRun& operator=(const NetworkRun&) = delete;

  // ease-vae: the rows and the source built again from the model's low-rating weight as EASE's carve
  // chose it (built first with the first weight of the list, to check everything before any work).
  void reweigh() {
    source_.reset();  // it refers to rows_ and the network build() replaces
    rows_ = network_rows(model_, kind_);
    source_ = build();
  }

  void train(RecommenderJobResult& job, const std::function<void(const BatchSource&)>& after_selection = {}) {
    const double density =
        rows_.rows() > 0 && rows_.cols() > 0
            ? static_cast<double>(rows_.nnz()) / (static_cast<double>(rows_.rows()) * rows_.cols())
            : 1.0;
    double batch_flops = sparse_batch_flops(model_.network.network->multiply_adds_per_sample(),
                                            std::min(options_.train.batch_size, rows_.rows()), density,
                                            kind_.multinomial || options_.refeed != 0);
    // Steps on the worker team (BatchSource::steps_on_team) have every weight's update in them.
    const bool on_team = source_->steps_on_team();
    if (on_team) batch_flops += update_flops(model_.network.network->parameter_count());
    set_num_threads(thread_choice(options_.threads, batch_flops, on_team ? kTeamWorkQuantum : kThreadWorkQuantum).threads);
    if (hooks_.on_start) hooks_.on_start(model_);
    job.history = aekit::train(*source_, options_.train, hooks_.observer, control_);
    if (after_selection) after_selection(*source_);
    if (!options_.refit) return;
    // The refit: the same seed and settings on every training rating, for the chosen epoch count,
    // without validation. Its rows are the selection run's (a carve takes ratings, not rows, and
    // leaves a row only when it takes all of it), so an epoch has as many steps and a per-step KL
    // schedule is where it was. Checkpoints cover the selection run only.
    TrainConfig refit = options_.train;
    refit.epochs = std::max(1, job.history.best_epoch);
    refit.validation_split = 0.0f;
    refit.patience = 0;
    if (hooks_.on_refit) hooks_.on_refit(refit.epochs);
    source_.reset();  // it refers to the network build() replaces
    source_ = build();
    TrainControl refit_control;
    refit_control.stop = hooks_.stop;
    job.refit_history = aekit::train(*source_, refit, hooks_.observer, refit_control);
  }

 private:
  // A fresh network from the seed and the source of its batches (the refit builds both again).
  std::unique_ptr<BatchSource> build() {
    model_.network.network = std::make_unique<Autoencoder>(spec_, options_.train.seed);
    if (kind_.multinomial)
      return std::make_unique<ImplicitRows>(*model_.network.network, rows_,
                                            ImplicitRowsOptions{options_.input_dropout, options_.train.seed,
                                                                /*transposed_first_weight=*/true});
    return std::make_unique<SparseRows>(
        *model_.network.network, rows_,
        SparseRowsOptions{kind_.normalisation, kind_.accumulate_gradients, options_.input_dropout,
                          options_.train.seed, options_.refeed, /*transposed_first_weight=*/true});
  }

  Recommender& model_;
  const RecommenderKind& kind_;
  TrainOptions& options_;
  const RecommenderJobHooks& hooks_;
  CsrMatrix rows_;
  ModelSpec spec_;
  TrainControl control_;
  std::unique_ptr<BatchSource> source_;
};

// EASE (or EDLAE) as `--model ease` fits it: the weight, lambda and dropout chosen on EASE's carve,
// B solved on every interaction; the result and what was tried as the model file records them.
EaseFit fit_ease_part(Recommender& model, const TrainOptions& options, std::span<const double> weights,
                      std::span<const double> lambdas, std::span<const double> dropouts, nlohmann::json& record) {
  const bool weighted = weights.front() > 0;
  Rng rng(options.train.seed);
  EaseFit fit = weighted ? fit_weighted_ease(
                               model.train.by_user,
                               [&model](float w) {
                                 model.low_rating_weight = w;
                                 return interaction_matrix(model);
                               },
                               weights, lambdas, dropouts, options.train.validation_split,
                               options.positive_threshold, rng)
                         : fit_ease(interaction_matrix(model), lambdas, dropouts, options.train.validation_split, rng);
  model.low_rating_weight = static_cast<float>(fit.weight);
  nlohmann::json tried = nlohmann::json::array();
  for (const EaseTrial& t : fit.validation) {
    tried.push_back({{"lambda", t.lambda}, {"dropout", t.dropout}, {"ndcg@100", t.ndcg}});
    if (weighted) tried.back()["low_rating_weight"] = t.weight;
  }
  record = {{"lambda", fit.lambda}, {"dropout", fit.dropout}, {"validation", tried}};
  // With a weight, the carve is scored on its held-out positives (weighted_ease.h).
  record["validation_relevance"] = weighted ? "positives" : "interactions";
  if (weighted) record["low_rating_weight"] = fit.weight;
  // The form B was solved and is stored in (ease_map.h): through the users or the items.
  record["solve"] = fit.map.factored() ? "factored" : "dense";
  return fit;
}

// What solving EASE (or EASE's part) is about to do, said before it starts: at tens of thousands of
// items the solves take minutes.
std::string ease_stage(size_t lambdas, size_t weights) {
  if (lambdas * weights == 1) return "solving on every training interaction";
  return std::to_string(lambdas * weights) + (weights > 1 ? " lambda and low-rating weight pairs" : " lambdas") +
         " tried on a validation carve, then the best solved on every training interaction";
}

// ease-vae's lambda and mix weight, chosen together on the network's carve (ease_vae.h) unless one
// pair is given: the pair of the best NDCG@100, every pair tried, as the model file records them.
nlohmann::json choose_mix(Recommender& model, std::span<const double> lambdas, std::span<const double> weights,
                          const BatchSource& source, const RecommenderJobHooks& hooks) {
  MixTrial best{weights.front(), 0.0, lambdas.front()};
  nlohmann::json tried = nlohmann::json::array();
  if (lambdas.size() * weights.size() > 1) {
    const auto* rows = dynamic_cast<const ImplicitRows*>(&source);
    AEKIT_ASSERT(rows != nullptr, "ease-vae's network trains on ImplicitRows");
    if (!rows->has_validation())
      fail("--mix-weight, --ease-lambda: the network's validation carve held nothing out (too few ratings); give one "
           "mix weight and one lambda");
    if (hooks.on_stage)
      hooks.on_stage("choosing EASE's lambda and the mix weight among " + std::to_string(lambdas.size() * weights.size()) +
                     " pairs on the network's validation carve (EASE solved on its kept part for each lambda)");
    const std::vector<MixTrial> trials =
        validate_mix(*model.network.network, rows->kept(), rows->held_out(), lambdas, weights);
    for (const MixTrial& t : trials) tried.push_back({{"lambda", t.lambda}, {"weight", t.weight}, {"ndcg@100", t.ndcg}});
    best = best_mix(trials);
  }
  model.mix_weight = static_cast<float>(best.weight);
  return {{"weight", best.weight}, {"lambda", best.lambda}, {"validation", tried}};
}

// Whether `ratings` hold values on both sides of `threshold`: some under it and some at or above.
bool straddles(const CsrMatrix& ratings, float threshold) {
  bool under = false, over = false;
  for (float v : ratings.values()) (v < threshold ? under : over) = true;
  return under && over;
}

// ease-vae's defaults (recommender_kinds.h) are an interaction threshold that follows the positive
// threshold (NaN in the options) and --low-rating-weight auto. Where the threshold is 0 (given, or
// resolved so: below) every rating is an interaction alike and the kind's default weights are
// dropped (named, --low-rating-weight auto asks for a threshold: refused later). The options then
// say what was used, as the model file records them.
void drop_default_weights(const RecommenderKind& kind, TrainOptions& options, std::vector<double>& weights) {
  if (kind.ease_part && options.interaction_threshold == 0.0f && options.low_rating_weight == "auto" &&
      !options.named("low-rating-weight")) {
    options.low_rating_weight = "0";
    weights = {0.0};
  }
}

// The threshold that follows the positive threshold, once the training ratings are known: 0 (every
// rating alike) where it is not positive or the ratings do not lie on both sides of it (nothing to
// weigh, or no positive to choose the weight by).
void resolve_interaction_threshold(const RecommenderKind& kind, const CsrMatrix& ratings, TrainOptions& options,
                                   std::vector<double>& weights) {
  if (!std::isnan(options.interaction_threshold)) return;
  const float t = options.positive_threshold;
  options.interaction_threshold = t > 0.0f && straddles(ratings, t) ? t : 0.0f;
  drop_default_weights(kind, options, weights);
}

}  // namespace

RecommenderJobResult run_recommender_job(TrainOptions options, const RecommenderJobHooks& hooks) {
  set_num_threads(options.threads);
  const RecommenderKind& kind = recommender_kind(options.recommender);
  const RatingRange range = parse_rating_range(options.rating_range);
  const std::vector<double> lambdas = parse_ease_lambdas(options.ease_lambda);  // checked before any work
  std::vector<double> weights = parse_low_rating_weights(options.low_rating_weight);
  drop_default_weights(kind, options, weights);  // before the checks below, which would refuse them
  const std::vector<double> mix_weights = parse_mix_weights(options.mix_weight);
  if (!kind.ease_part && options.named("mix-weight"))
    fail("--mix-weight is for ease-vae (the mix of its two parts), not ", kind.name);
  if (kind.ease_part && mix_weights.size() > 1 && !(options.train.validation_split > 0.0f))
    fail("--mix-weight ", options.mix_weight,
         " is chosen on a validation carve: give --validation-split > 0 or one weight");
  // A list (auto is one) is chosen on the carve; without one the first value would be taken silently.
  if ((kind.closed_form || kind.ease_part) && !(options.train.validation_split > 0.0f)) {
    if (lambdas.size() > 1)
      fail("--ease-lambda ", options.ease_lambda,
           " is chosen on a validation carve: give --validation-split > 0 or one lambda");
    if (weights.size() > 1)
      fail("--low-rating-weight ", options.low_rating_weight,
           " is chosen on a validation carve: give --validation-split > 0 or one weight");
  }
  // EDLAE's dropout is its --input-dropout (EASE has none).
  const std::vector<double> dropouts = {kind.name == "edlae" ? static_cast<double>(options.input_dropout) : 0.0};
  if (kind.name == "edlae" && !(dropouts[0] >= 0 && dropouts[0] < 1))
    fail("edlae's --input-dropout must be in [0, 1) (got ", dropouts[0], ")");
  if (options.holdout > 0 && !options.ratings_test.empty())
    fail("--holdout and --ratings-test both name a test set; give one");

  RecommenderJobResult job;
  std::vector<Rating> all = read_ratings(options.ratings, range);
  std::vector<Rating> train_ratings;
  if (options.holdout > 0) {
    RatingSplit split = holdout_split(all, options.holdout, options.holdout_seed);
    train_ratings = std::move(split.train);
    job.test = std::move(split.test);
  } else {
    train_ratings = all;
    if (!options.ratings_test.empty()) job.test = read_ratings(options.ratings_test, range);
  }
  // With --holdout the ids of the whole file are mapped, as the seeds' matrix spans both sets;
  // a test pair of an id without training ratings is then a cold pair, not an unknown one.
  Recommender& model = job.model;
  model.kind = kind.name;
  model.item_rows = kind.item_rows;
  model.cold_fallback = kind.cold_fallback;
  model.train = build_rating_matrix(train_ratings, options.holdout > 0 ? all : train_ratings);
  model.rating_low = range.declared() ? range.low : std::numeric_limits<float>::infinity();
  model.rating_high = range.declared() ? range.high : -std::numeric_limits<float>::infinity();
  if (!range.declared())
    for (const Rating& r : train_ratings) {
      model.rating_low = std::min(model.rating_low, r.value);
      model.rating_high = std::max(model.rating_high, r.value);
    }
  model.baseline = BiasModel::fit(model.train.by_user);
  const int64_t train_count = static_cast<int64_t>(train_ratings.size());
  // Nothing below reads the parsed lines again, and at MovieLens-20M's size each list holds 640 MB
  // (the scale run's peak memory, BENCHMARKS.md).
  std::vector<Rating>().swap(train_ratings);
  std::vector<Rating>().swap(all);

  if (!std::isfinite(options.positive_threshold))
    fail("--positive-threshold must be a finite rating, got ", options.positive_threshold);
  resolve_interaction_threshold(kind, model.train.by_user, options, weights);
  if (!(options.interaction_threshold >= 0.0f))
    fail("--interaction-threshold must be >= 0, got ", options.interaction_threshold);
  if (options.interaction_threshold > 0.0f && !kind.implicit)
    fail("--interaction-threshold is for the models that rank interactions (ease, edlae, mult-dae, mult-vae, "
         "ease-vae), not ",
         kind.name);
  const bool weighted = weights.front() > 0;
  if (weighted && !kind.closed_form && !kind.multinomial)
    fail("--low-rating-weight is for ease, edlae, mult-dae, mult-vae and ease-vae, not ", kind.name);
  if (weighted && !(options.interaction_threshold > 0.0f))
    fail("--low-rating-weight weighs the ratings under --interaction-threshold: give that too");
  if (kind.multinomial && !kind.ease_part && weights.size() > 1)
    fail("--low-rating-weight: ", kind.name, " takes one weight (auto and lists are for ease, edlae and ease-vae)");
  // A network's weight is given, not chosen: it shapes the input and the multinomial target alike.
  // ease-vae's is chosen on EASE's carve, and its network built first with the first (reweigh).
  if (kind.multinomial) model.low_rating_weight = static_cast<float>(weights.front());
  if (kind.implicit)
    model.implicit_threshold =
        options.interaction_threshold > 0.0f ? options.interaction_threshold : kEveryRatingIsAnInteraction;
  model.normalise_rows = kind.multinomial;
  if (hooks.on_data) hooks.on_data(model, train_count, static_cast<int64_t>(job.test.size()));
  nlohmann::json ease;  // ease, edlae and ease-vae's EASE part: what was chosen and tried
  if (kind.closed_form) {
    if (hooks.on_stage) hooks.on_stage(ease_stage(lambdas.size(), weights.size()));
    const EaseFit fit = fit_ease_part(model, options, weights, lambdas, dropouts, ease);
    model.network.network = ease_network(fit.map, options.train.seed);
    model.network.loss = recommender_loss(kind);
    model.network.preprocessor = Preprocessor::fit(PreprocessKind::None, Tensor({1, fit.map.items()}));
    model.network.training = {{"data", options.ratings}, {"ratings", train_count}, {"ease", ease}};
    if (hooks.on_start) hooks.on_start(model);
  } else {
    NetworkRun network(model, kind, options, hooks);  // everything checked before EASE's part is solved
    double ease_lambda = 0;
    nlohmann::json mix;
    std::function<void(const BatchSource&)> after_selection;
    if (kind.ease_part) {
      if (hooks.on_stage)
        hooks.on_stage("EASE's part: " + ease_stage(lambdas.size(), weights.size()));
      EaseFit fit = fit_ease_part(model, options, weights, lambdas, dropouts, ease);
      ease_lambda = fit.lambda;
      model.ease = std::move(fit.map);
      if (hooks.on_ease) hooks.on_ease(model.kind, ease);
      // The network trains on the interactions as EASE's carve weighed them.
      if (weights.size() > 1) network.reweigh();
      after_selection = [&](const BatchSource& source) {
        mix = choose_mix(model, lambdas, mix_weights, source, hooks);
        if (hooks.on_mix) hooks.on_mix(mix);
        // B on every training interaction with the lambda chosen with the mix weight.
        if (const double lambda = mix.at("lambda").get<double>(); lambda != ease_lambda) {
          if (hooks.on_stage) {
            char text[32];
            std::snprintf(text, sizeof(text), "%g", lambda);
            hooks.on_stage(std::string("EASE's part solved again with lambda ") + text + " on every training interaction");
          }
          model.ease = solve_ease_map(interaction_matrix(model), lambda);
        }
      };
    }
    network.train(job, after_selection);
    model.network.training = {{"data", options.ratings},
                              {"ratings", train_count},
                              {"history", history_json(job.history)},
                              {"best_epoch", job.history.best_epoch},
                              {"stopped_early", job.history.stopped_early}};
    if (job.refit_history)
      model.network.training["refit"] = {{"epochs", job.refit_history->history.size()},
                                         {"history", history_json(*job.refit_history)}};
    if (kind.ease_part) {
      model.network.training["ease"] = ease;
      model.network.training["mix"] = mix;
    }
  }
  // The settings as used (a network's input size is known once it is built).
  nlohmann::json settings = nlohmann::json::object();
  for (const OptionDef& def : train_option_table()) settings[def.name] = def.get(options);
  model.network.training["settings"] = settings;
  if (!job.test.empty()) {
    job.evaluation = evaluate_recommender(model, job.test, EvalOptions{options.positive_threshold});
    model.network.training["test"] = evaluation_json(*job.evaluation);
  }
  return job;
}

}  // namespace aekit
