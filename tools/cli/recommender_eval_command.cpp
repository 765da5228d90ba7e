// aekit eval MODEL --ratings-test FILE: a recommender's rating and top-N metrics beside its
// baselines (the recommender part of the eval verb, kept apart from the dense one).
#include "commands.h"
#include "recommender_report.h"

#include <aekit/core/error.h>
#include <aekit/options/train_options.h>
#include <aekit/recsys/recommender_eval.h>

#include <cstdio>
#include <optional>

namespace aekit::cli {

namespace {

struct RecommenderEvalFlags {
  std::string ratings_test;
  std::string rating_range = "auto";
  std::optional<float> positive_threshold;  // not given: the model's own (its training settings)
};

RecommenderEvalFlags& flags() {
  static RecommenderEvalFlags f;
  return f;
}

// The threshold the model was trained and reported with (recommender_job.cpp records every setting
// as text), read back through the options table's own parser; older files, library-built models
// and a damaged value give the default.
float trained_positive_threshold(const Recommender& model) {
  const nlohmann::json& t = model.network.training;
  if (!t.contains("settings") || !t["settings"].is_object()) return EvalOptions{}.positive_threshold;
  const auto it = t["settings"].find("positive-threshold");
  if (it == t["settings"].end() || !it->is_string()) return EvalOptions{}.positive_threshold;
  TrainOptions trained;
  try {
    find_train_option("positive-threshold")->set(trained, it->get<std::string>());
    return trained.positive_threshold;
  } catch (const InputError&) {
    return EvalOptions{}.positive_threshold;
  }
}

}  // namespace

void add_recommender_eval_options(CLI::App* eval) {
  eval->add_option("--ratings-test", flags().ratings_test, "test ratings for a recommender model")->type_name("SPEC");
  eval->add_option("--positive-threshold", flags().positive_threshold,
                   "top-N: a test rating >= this is a positive [the model's --positive-threshold, else 4]");
  eval->add_option("--rating-range", flags().rating_range, "LOW:HIGH ratings allowed in the test file [auto]");
}

bool run_recommender_eval(const std::string& model_path, bool json) {
  if (flags().ratings_test.empty()) return false;
  Recommender model = load_recommender(model_path);
  const std::vector<Rating> test = read_ratings(flags().ratings_test, parse_rating_range(flags().rating_range));
  const RecommenderEvaluation e =
      evaluate_recommender(model, test, {flags().positive_threshold.value_or(trained_positive_threshold(model))});
  if (json) {
    nlohmann::json out = evaluation_json(e);
    out["model"] = model_path;
    out["kind"] = model.kind;
    out["ratings_test"] = flags().ratings_test;
    std::printf("%s\n", out.dump().c_str());
  } else {
    std::printf("model                %s (%s)\n", model_path.c_str(), model.kind.c_str());
    print_recommender_evaluation(e);
  }
  return true;
}

}  // namespace aekit::cli
