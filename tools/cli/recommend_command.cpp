// aekit recommend: a user's top items from a recommender, with titles; or, for someone who is not
// in the training data, from their own ratings (fold-in: the autoencoder encodes that vector, no
// retraining).
#include "commands.h"

#include <aekit/core/error.h>
#include <aekit/data/detail/read_bytes.h>
#include <aekit/recsys/predict.h>
#include <aekit/recsys/ranking_metrics.h>
#include <aekit/recsys/titles.h>

#include <cstdio>
#include <nlohmann/json.hpp>

namespace aekit::cli {

namespace {

struct RecommendFlags {
  std::string model, user_ratings, titles;
  int64_t user = 0;
  bool user_given = false;
  int64_t top = 10;
  bool json = false;
};

void recommend(const RecommendFlags& f) {
  if (f.user_given == !f.user_ratings.empty()) fail("recommend needs exactly one of --user ID and --user-ratings FILE");
  if (f.top < 1) fail("--top must be at least 1, got ", f.top);
  Recommender model = load_recommender(f.model);
  const int64_t items = model.train.items.size();
  std::vector<uint8_t> allowed(static_cast<size_t>(items), 1);
  Tensor scores;
  if (f.user_given) {
    const int64_t u = model.train.users.find(f.user);
    if (u < 0) fail("user ", f.user, " is not in ", f.model, " (use --user-ratings FILE for a new user)");
    const int64_t row[] = {u};
    scores = predict_users(model, row);
    for (int32_t c : model.train.by_user.row_cols(u)) allowed[static_cast<size_t>(c)] = 0;
  } else {
    const auto text = data_detail::read_text_file(f.user_ratings);
    std::vector<CsrEntry> entries;
    for (const Rating& r : parse_item_ratings(text, f.user_ratings)) {
      const int64_t i = model.train.items.find(r.item);
      if (i < 0) fail(f.user_ratings, ":", r.line, ": item ", r.item, " is not in ", f.model);
      entries.push_back({0, i, r.value});
      allowed[static_cast<size_t>(i)] = 0;
    }
    scores = predict_new_user(model, entries);
  }
  const std::map<int64_t, std::string> titles = f.titles.empty() ? std::map<int64_t, std::string>{} : read_titles(f.titles);
  const auto ranked = top_k(std::span(scores.data(), static_cast<size_t>(items)), allowed, f.top);
  nlohmann::json list = nlohmann::json::array();
  for (size_t k = 0; k < ranked.size(); ++k) {
    const int64_t id = model.train.items.id(ranked[k]);
    const float score = scores[ranked[k]];
    const auto title = titles.find(id);
    if (f.json) {
      nlohmann::json row{{"rank", k + 1}, {"item", id}, {"score", score}};
      if (title != titles.end()) row["title"] = title->second;
      list.push_back(row);
    } else {
      std::printf("%3zu  %8lld  %6.3f  %s\n", k + 1, static_cast<long long>(id), static_cast<double>(score),
                  title != titles.end() ? title->second.c_str() : "");
    }
  }
  if (f.json) {
    nlohmann::json out{{"model", f.model}, {"recommendations", list}};
    if (f.user_given) out["user"] = f.user;
    else out["user_ratings"] = f.user_ratings;
    std::printf("%s\n", out.dump().c_str());
  }
}

}  // namespace

void add_recommend_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("recommend", "a user's top unrated items from a recommender model");
  auto f = std::make_shared<RecommendFlags>();
  cmd->add_option("model", f->model, "recommender model file")->required();
  cmd->add_option("--user", f->user, "a user id of the training data")->each([f](const std::string&) { f->user_given = true; });
  cmd->add_option("--user-ratings", f->user_ratings, "a new user's item,rating lines (fold-in)")->type_name("PATH");
  cmd->add_option("--top", f->top, "how many items [10]");
  cmd->add_option("--titles", f->titles, "u.item, movies.dat or movies.csv to print titles, or movielens-small")->type_name("TITLES");
  cmd->add_flag("--json", f->json, "print one JSON object on stdout");
  cmd->callback([f] { recommend(*f); });
}

}  // namespace aekit::cli
