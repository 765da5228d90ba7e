// The recommender from the command line on a small generated rating file: train, eval --json
// with the keys, recommend with original ids and titles, fold-in of a training user's own
// ratings giving that user's recommendations, and bad input as one line with exit code 2.
#include "cli_runner.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <initializer_list>
#include <set>
#include <sstream>

namespace aekit::test {
namespace {

// 30 users, 40 items with ids far from 0..n (so the id mapping shows), two taste groups.
std::string ratings_text() {
  std::ostringstream out;
  out << "userId,movieId,rating,timestamp\n";
  for (int u = 0; u < 30; ++u)
    for (int i = 0; i < 40; ++i)
      if ((u * 7 + i * 3) % 5 < 2) {
        const bool likes = (u % 2) == (i % 2);
        out << 1000 + u << "," << 500 + 10 * i << "," << (likes ? 4.5 : 1.5) + (i % 3 == 0 ? 0.5 : 0.0) << "," << i
            << "\n";
      }
  return out.str();
}

// "item,rating" lines of `user`'s ratings whose items are not in `recommendations`: the ratings a
// model trained on (a recommendation list leaves out what the user rated), for fold-in.
std::string ratings_left_out_of(const std::string& user, const nlohmann::json& recommendations) {
  std::set<int64_t> listed;
  for (const auto& row : recommendations) listed.insert(row["item"].get<int64_t>());
  std::istringstream all(ratings_text());
  std::string line;
  std::getline(all, line);  // the header
  std::ostringstream own;
  while (std::getline(all, line)) {
    std::istringstream cells(line);
    std::string u, i, r;
    std::getline(cells, u, ',');
    std::getline(cells, i, ',');
    std::getline(cells, r, ',');
    if (u == user && !listed.count(std::stoll(i))) own << i << "," << r << "\n";
  }
  return own.str();
}

// `user`'s top 5 from `model`, and fold-in: the user's own ratings (those a top 40 leaves out),
// given as a new user, give the same list, scores included.
nlohmann::json expect_fold_in_gives_the_list(const ScratchDir& dir, const std::string& model, const std::string& user) {
  const std::string recommend = "recommend " + model + " ";
  const auto listed = nlohmann::json::parse(run_aekit(dir, recommend + "--user " + user + " --top 5 --json").out);
  const auto everything = nlohmann::json::parse(run_aekit(dir, recommend + "--user " + user + " --top 40 --json").out);
  write_text(dir / "me.csv", ratings_left_out_of(user, everything["recommendations"]));
  auto fold = run_aekit(dir, recommend + "--user-ratings me.csv --top 5 --json");
  EXPECT_EQ(fold.exit_code, 0) << model << ": " << fold.err;
  if (fold.exit_code == 0) {
    EXPECT_EQ(nlohmann::json::parse(fold.out)["recommendations"], listed["recommendations"]) << model;
  }
  return listed;
}

// Each of `flags`, added to a training command on ratings.csv, is one line on stderr, exit code 2
// and no model file.
void expect_train_refuses(const ScratchDir& dir, std::initializer_list<const char*> flags) {
  for (const char* bad : flags) {
    auto r = run_aekit(dir, std::string("train --ratings ratings.csv --epochs 1 --out bad.aek ") + bad);
    EXPECT_EQ(r.exit_code, 2) << bad << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << bad << ": " << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir / "bad.aek")) << bad;
  }
}

TEST(CliRecommender, TrainEvalRecommendAndFoldIn) {
  ScratchDir dir;
  write_text(dir / "ratings.csv", ratings_text());
  write_text(dir / "movies.csv", "movieId,title,genres\n500,\"Film, The (1999)\",Drama\n510,Other,Comedy\n");
  auto train = run_aekit(dir, "train --ratings ratings.csv --model autorec-u --arch 8 --epochs 30 --patience 0 "
                              "--validation-split 0 --lr 0.01 --holdout 0.2 --out rec.aek");
  ASSERT_EQ(train.exit_code, 0) << train.err;
  EXPECT_NE(train.out.find("bias baseline"), std::string::npos) << train.out;

  // The test ratings of the split, as a file, through eval --json.
  auto eval = run_aekit(dir, "eval rec.aek --ratings-test ratings.csv --json");
  ASSERT_EQ(eval.exit_code, 0) << eval.err;
  const auto j = nlohmann::json::parse(eval.out);
  for (const char* key : {"rmse", "mae", "seed_user_metric", "baseline_rmse", "recall@20", "ndcg@100",
                          "popularity_ndcg@100", "users_evaluated", "fallback_pairs"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_GT(j["users_evaluated"].get<int>(), 0);

  auto rec = run_aekit(dir, "recommend rec.aek --user 1004 --top 5 --titles movies.csv --json");
  ASSERT_EQ(rec.exit_code, 0) << rec.err;
  const auto list = nlohmann::json::parse(rec.out)["recommendations"];
  ASSERT_EQ(list.size(), 5u);
  for (const auto& row : list) {
    const int64_t item = row["item"].get<int64_t>();
    EXPECT_TRUE(item >= 500 && item <= 890 && item % 10 == 0) << "original item ids: " << item;
    if (item == 500) {
      EXPECT_EQ(row["title"], "Film, The (1999)");
    }
  }

  // Fold-in: user 1004's own training ratings, given as a new user, give the same list.
  const auto model_json = nlohmann::json::parse(run_aekit(dir, "recommend rec.aek --user 1004 --top 40 --json").out);
  // The split holds out some of the user's ratings; fold in exactly those the model trained on.
  write_text(dir / "me.csv", ratings_left_out_of("1004", model_json["recommendations"]));
  auto fold = run_aekit(dir, "recommend rec.aek --user-ratings me.csv --top 5 --titles movies.csv --json");
  ASSERT_EQ(fold.exit_code, 0) << fold.err;
  EXPECT_EQ(nlohmann::json::parse(fold.out)["recommendations"], list);
}

TEST(CliRecommender, BadInputIsOneLineAndExitCode2) {
  ScratchDir dir;
  write_text(dir / "ratings.csv", ratings_text());
  write_text(dir / "bad.csv", "1,2,3\n1,x,3\n");
  auto bad = run_aekit(dir, "train --ratings bad.csv --out m.aek");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("bad.csv:2: item id 'x' is not an integer"), std::string::npos) << bad.err;
  EXPECT_EQ(count_lines(bad.err), 1) << bad.err;
  write_text(dir / "range.csv", "1,2,3\n1,3,9\n");
  auto range = run_aekit(dir, "train --ratings range.csv --rating-range 1:5 --out m.aek");
  EXPECT_EQ(range.exit_code, 2);
  EXPECT_NE(range.err.find("range.csv:2: rating 9 is outside the rating range 1:5"), std::string::npos) << range.err;
  write_text(dir / "empty.csv", "");
  EXPECT_EQ(run_aekit(dir, "train --ratings empty.csv --out m.aek").exit_code, 2);
  EXPECT_FALSE(std::filesystem::exists(dir / "m.aek"));

  ASSERT_EQ(run_aekit(dir, "train --ratings ratings.csv --model autorec-u --arch 4 --epochs 2 --patience 0 "
                           "--validation-split 0 --out rec.aek").exit_code, 0);
  auto unknown = run_aekit(dir, "recommend rec.aek --user 77");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("user 77 is not in rec.aek"), std::string::npos) << unknown.err;
  write_text(dir / "me.csv", "500,4\n12345,5\n");
  auto unknown_item = run_aekit(dir, "recommend rec.aek --user-ratings me.csv");
  EXPECT_EQ(unknown_item.exit_code, 2);
  EXPECT_NE(unknown_item.err.find("me.csv:2: item 12345 is not in rec.aek"), std::string::npos) << unknown_item.err;
  // The verbs of plain networks say what the file is and which verbs take it.
  for (const char* verb : {"eval rec.aek --data ratings.csv", "encode rec.aek --data ratings.csv --out c.npy",
                           "decode rec.aek --data ratings.csv --out d.npy",
                           "reconstruct rec.aek --data ratings.csv --out r.npy",
                           "score rec.aek --data ratings.csv --out s.csv"}) {
    auto plain = run_aekit(dir, verb);
    EXPECT_EQ(plain.exit_code, 2) << verb << ": " << plain.err;
    EXPECT_NE(plain.err.find("rec.aek: this is a recommender model; use aekit recommend, or aekit eval with "
                             "--ratings-test"), std::string::npos) << verb << ": " << plain.err;
    EXPECT_EQ(count_lines(plain.err), 1) << verb << ": " << plain.err;
  }

  // Layer specs may describe the network, but CSR input and sampled outputs need dense ends.
  auto layers = run_aekit(dir, "train --ratings ratings.csv --encoder-layers 'dropout(p=0.1) dense(out=4)' "
                               "--decoder-layers 'dense(out=30)' --out m.aek");
  EXPECT_EQ(layers.exit_code, 2);
  EXPECT_NE(layers.err.find("first and last layers must be dense"), std::string::npos) << layers.err;
  EXPECT_EQ(count_lines(layers.err), 1) << layers.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "m.aek"));
}

TEST(CliRecommender, LayerSpecsAndInfo) {
  ScratchDir dir;
  write_text(dir / "ratings.csv", ratings_text());
  // Items as rows: the input is the 30 users; a penalty-free middle dropout runs as usual.
  auto train = run_aekit(dir, "train --ratings ratings.csv --encoder-layers 'dense(out=6, activation=sigmoid) "
                              "dropout(p=0.1)' --decoder-layers 'dense(out=30)' --epochs 2 --out rec.aek");
  ASSERT_EQ(train.exit_code, 0) << train.err;
  auto info = run_aekit(dir, "info rec.aek");
  ASSERT_EQ(info.exit_code, 0) << info.err;
  EXPECT_NE(info.out.find("recommender  autorec-i (items as rows)"), std::string::npos) << info.out;
  EXPECT_NE(info.out.find("30 users x 40 items"), std::string::npos) << info.out;
  EXPECT_NE(info.out.find("network      30-6-30"), std::string::npos) << info.out;
}

TEST(CliRecommender, EaseRanksFoldsInAndPredictsNoRatings) {
  ScratchDir dir;
  write_text(dir / "ratings.csv", ratings_text());
  auto train = run_aekit(dir, "train --ratings ratings.csv --model ease --ease-lambda 1,10,100 --holdout 0.2 "
                              "--out ease.aek");
  ASSERT_EQ(train.exit_code, 0) << train.err;
  EXPECT_NE(train.err.find("ease solved with lambda"), std::string::npos) << train.err;
  // What the solve will do is said before it starts, after the data line.
  const size_t data = train.err.find("ease on ratings.csv: 30 users x 40 items");
  const size_t stage = train.err.find("ease: 3 lambdas tried on a validation carve");
  EXPECT_TRUE(data < stage && stage < train.err.find("ease solved with lambda")) << train.err;
  EXPECT_NE(train.out.find("ranks items, predicts no ratings"), std::string::npos) << train.out;

  auto eval = run_aekit(dir, "eval ease.aek --ratings-test ratings.csv --json");
  ASSERT_EQ(eval.exit_code, 0) << eval.err;
  const auto j = nlohmann::json::parse(eval.out);
  EXPECT_TRUE(j["rmse"].is_null());
  EXPECT_TRUE(j["baseline_rmse"].is_number());
  // Two clean taste groups: the linear model ranks far better than popularity.
  EXPECT_GT(j["ndcg@100"].get<double>(), j["popularity_ndcg@100"].get<double>() + 0.05) << eval.out;

  auto info = run_aekit(dir, "info ease.aek");
  ASSERT_EQ(info.exit_code, 0) << info.err;
  EXPECT_NE(info.out.find("ease (users as rows)"), std::string::npos) << info.out;
  // 30 users, 40 items: solved through the users and stored factored (recsys/ease_map.h), so the
  // evaluation above and the fold-in below run the factored_ease layer.
  EXPECT_NE(info.out.find("encoder      factored_ease(interactions="), std::string::npos) << info.out;
  EXPECT_NE(info.out.find("input        every rating an interaction of weight 1"), std::string::npos) << info.out;
  EXPECT_NE(info.out.find("ease lambda  "), std::string::npos) << info.out;

  // Fold-in: a training user's own ratings, given as a new user, give that user's list.
  expect_fold_in_gives_the_list(dir, "ease.aek", "1005");

  auto bad = run_aekit(dir, "train --ratings ratings.csv --model ease --ease-lambda 0 --out bad.aek");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--ease-lambda: '0' is not a positive number"), std::string::npos) << bad.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "bad.aek"));
}

// --positive-threshold at training: the test report after training counts positives with it, the
// model keeps it, and eval defaults to the model's unless told otherwise.
TEST(CliRecommender, EvalDefaultsToThePositiveThresholdTrainedWith) {
  ScratchDir dir;
  write_text(dir / "ratings.csv", ratings_text());
  auto train = run_aekit(dir, "train --ratings ratings.csv --model ease --ease-lambda 10 --holdout 0.2 "
                              "--positive-threshold 4.75 --out p.aek");
  ASSERT_EQ(train.exit_code, 0) << train.err;
  EXPECT_NE(train.out.find("(positive: rating >= 4.75)"), std::string::npos) << train.out;

  auto own = run_aekit(dir, "eval p.aek --ratings-test ratings.csv --json");
  ASSERT_EQ(own.exit_code, 0) << own.err;
  const auto kept = nlohmann::json::parse(own.out);
  EXPECT_DOUBLE_EQ(kept["positive_threshold"].get<double>(), 4.75);
  auto told = run_aekit(dir, "eval p.aek --ratings-test ratings.csv --positive-threshold 2 --json");
  ASSERT_EQ(told.exit_code, 0) << told.err;
  const auto lower = nlohmann::json::parse(told.out);
  EXPECT_DOUBLE_EQ(lower["positive_threshold"].get<double>(), 2.0);
  // The same ranking; at 4.75 only the 5.0 ratings are positives, at 2 the 4.5s and 2.0s are too, so
  // a top 10 holds more of them.
  EXPECT_GT(lower["precision@10"].get<double>(), kept["precision@10"].get<double>()) << own.out << told.out;

  expect_train_refuses(dir, {"--model ease --positive-threshold nan", "--model ease --positive-threshold x"});
}

// What ease chooses on a carve (auto or a list, of lambdas or weights) is refused without one
// (it took the first value silently before); one value needs no carve.
TEST(CliRecommender, EaseChoicesNeedACarve) {
  ScratchDir dir;
  write_text(dir / "ratings.csv", ratings_text());
  expect_train_refuses(dir, {"--model ease --validation-split 0",
                             "--model ease --ease-lambda 10,100 --validation-split 0",
                             "--model ease --ease-lambda 10 --interaction-threshold 3 --low-rating-weight auto "
                             "--validation-split 0"});
  auto one = run_aekit(dir, "train --ratings ratings.csv --model ease --ease-lambda 10 --validation-split 0 "
                            "--out one.aek");
  EXPECT_EQ(one.exit_code, 0) << one.err;
}

// `common` (a train command with --interaction-threshold) with --low-rating-weight 0.4 and
// without: the weight travels in the model file, so fold-in of a user's own ratings (which weighs
// them as training did) gives that user's list, and that list is not the unweighted model's.
void expect_low_rating_weight_kept(const ScratchDir& dir, const std::string& common) {
  auto weighted = run_aekit(dir, common + "--low-rating-weight 0.4 --out w.aek");
  ASSERT_EQ(weighted.exit_code, 0) << weighted.err;
  auto dropped = run_aekit(dir, common + "--out d.aek");
  ASSERT_EQ(dropped.exit_code, 0) << dropped.err;
  const auto listed = expect_fold_in_gives_the_list(dir, "w.aek", "1005");
  const auto unweighted = nlohmann::json::parse(run_aekit(dir, "recommend d.aek --user 1005 --top 5 --json").out);
  EXPECT_NE(unweighted["recommendations"], listed["recommendations"]);
}

// --low-rating-weight: the ratings under the threshold are interactions of weight 0.4, kept in
// the model file (expect_low_rating_weight_kept).
TEST(CliRecommender, EaseWeighsLowRatingsAndKeepsTheWeight) {
  ScratchDir dir;
  write_text(dir / "ratings.csv", ratings_text());
  const std::string common = "train --ratings ratings.csv --model ease --ease-lambda 10 --interaction-threshold 3 ";
  expect_low_rating_weight_kept(dir, common);

  // A list: the weight is chosen with the lambda on the carve's held-out positives, said so, and
  // kept: the model recommends exactly as one trained with that weight alone.
  auto chosen = run_aekit(dir, common + "--low-rating-weight 0.2,0.6 --holdout 0.2 --out c.aek");
  ASSERT_EQ(chosen.exit_code, 0) << chosen.err;
  EXPECT_NE(chosen.err.find("(held-out positives)"), std::string::npos) << chosen.err;
  const std::string said = "ease solved with low-rating weight ";
  const size_t at = chosen.err.find(said);
  ASSERT_NE(at, std::string::npos) << chosen.err;
  const std::string weight = chosen.err.substr(at + said.size(), 3);
  ASSERT_TRUE(weight == "0.2" || weight == "0.6") << chosen.err;
  auto alone = run_aekit(dir, common + "--low-rating-weight " + weight + " --holdout 0.2 --out a.aek");
  ASSERT_EQ(alone.exit_code, 0) << alone.err;
  const auto from_list = nlohmann::json::parse(run_aekit(dir, "recommend c.aek --user 1005 --top 5 --json").out);
  const auto from_one = nlohmann::json::parse(run_aekit(dir, "recommend a.aek --user 1005 --top 5 --json").out);
  EXPECT_EQ(from_list["recommendations"], from_one["recommendations"]);

  expect_train_refuses(dir, {"--model ease --low-rating-weight 1.5 --interaction-threshold 3",
                             "--model ease --low-rating-weight 0,0.5 --interaction-threshold 3",
                             "--model ease --low-rating-weight x --interaction-threshold 3",
                             "--model ease --low-rating-weight 0.4",
                             "--model ease --low-rating-weight auto",
                             "--model mult-dae --low-rating-weight 0.2,0.4 --interaction-threshold 3",
                             "--model autorec-i --low-rating-weight 0.4 --interaction-threshold 3"});
}

// mult-dae takes one low-rating weight: its input and its multinomial target weigh the low
// ratings alike, the weight is kept in the model file, and fold-in weighs a user's ratings the same.
TEST(CliRecommender, MultDaeWeighsLowRatingsAndKeepsTheWeight) {
  ScratchDir dir;
  write_text(dir / "ratings.csv", ratings_text());
  const std::string common =
      "train --ratings ratings.csv --model mult-dae --arch 8 --epochs 3 --interaction-threshold 3 --seed 1 ";
  expect_low_rating_weight_kept(dir, common);
}

// `model` (trained on ratings.csv's two clean taste groups) ranks: eval gives no RMSE and an
// NDCG@100 far above popularity's, and info names `kind` with users as rows. Returns info's output.
std::string expect_ranks_users_items(const ScratchDir& dir, const std::string& model, const std::string& kind) {
  auto eval = run_aekit(dir, "eval " + model + " --ratings-test ratings.csv --json");
  EXPECT_EQ(eval.exit_code, 0) << eval.err;
  if (eval.exit_code == 0) {
    const auto j = nlohmann::json::parse(eval.out);
    EXPECT_TRUE(j["rmse"].is_null());
    EXPECT_GT(j["ndcg@100"].get<double>(), j["popularity_ndcg@100"].get<double>() + 0.05) << eval.out;
  }
  auto info = run_aekit(dir, "info " + model);
  EXPECT_EQ(info.exit_code, 0) << info.err;
  EXPECT_NE(info.out.find(kind + " (users as rows)"), std::string::npos) << info.out;
  return info.out;
}

TEST(CliRecommender, MultDaeRanksFoldsInAndPredictsNoRatings) {
  ScratchDir dir;
  write_text(dir / "ratings.csv", ratings_text());
  auto train = run_aekit(dir, "train --ratings ratings.csv --model mult-dae --arch 16-8 --batch-size 8 --lr 0.01 "
                              "--epochs 60 --holdout 0.2 --out dae.aek");
  ASSERT_EQ(train.exit_code, 0) << train.err;
  EXPECT_NE(train.out.find("ranks items, predicts no ratings"), std::string::npos) << train.out;
  // Two clean taste groups: the multinomial autoencoder ranks far better than popularity.
  expect_ranks_users_items(dir, "dae.aek", "mult-dae");

  // Fold-in: the user's own training interactions, scaled to unit norm as in training (the
  // model file says so), give that user's list.
  expect_fold_in_gives_the_list(dir, "dae.aek", "1003");
}

TEST(CliRecommender, MultVaeRanksFromThePosteriorMeanAndFoldsIn) {
  ScratchDir dir;
  write_text(dir / "ratings.csv", ratings_text());
  auto train = run_aekit(dir, "train --ratings ratings.csv --model mult-vae --arch 16-8 --batch-size 8 --lr 0.01 "
                              "--epochs 60 --kl-warmup 10 --holdout 0.2 --out vae.aek");
  ASSERT_EQ(train.exit_code, 0) << train.err;
  EXPECT_NE(train.err.find("kl "), std::string::npos) << "the KL term beside the loss: " << train.err;
  const std::string info = expect_ranks_users_items(dir, "vae.aek", "mult-vae");
  EXPECT_NE(info.find("multinomial"), std::string::npos) << "the loss it was trained with: " << info;

  // The posterior mean: the same list every time, and fold-in of the user's own interactions
  // gives it too.
  const auto listed = expect_fold_in_gives_the_list(dir, "vae.aek", "1003");
  EXPECT_EQ(nlohmann::json::parse(run_aekit(dir, "recommend vae.aek --user 1003 --top 5 --json").out), listed);
}

// ease-vae: EASE's part (its weight of the ratings under 4 by default), then lambda with the mix
// weight are chosen on validation and said, both parts travel in the model file (eval, recommend and
// fold-in score through both), --json keeps mult-vae's shape, and bad values of its options are one
// line with exit code 2.
TEST(CliRecommender, EaseVaeSaysWhatItChoseAndFoldsInThroughBothParts) {
  ScratchDir dir;
  write_text(dir / "ratings.csv", ratings_text());
  const std::string common = "train --ratings ratings.csv --arch 16-8 --batch-size 8 --lr 0.01 --epochs 20 "
                             "--kl-warmup 5 --holdout 0.2 --json ";
  auto train = run_aekit(dir, common + "--model ease-vae --ease-lambda 1,10 --mix-weight 0.3,0.9 --out mix.aek");
  ASSERT_EQ(train.exit_code, 0) << train.err;
  EXPECT_NE(train.err.find("ease-vae's EASE part solved with low-rating weight"), std::string::npos) << train.err;
  EXPECT_NE(train.err.find("lambda 10     mix weight 0.3"), std::string::npos) << train.err;
  EXPECT_NE(train.err.find("x EASE (lambda "), std::string::npos) << train.err;
  // The data line first, then EASE's part, then the network's line (the parts in the order solved).
  const size_t data = train.err.find("ease-vae on ratings.csv: 30 users x 40 items");
  const size_t ease_part = train.err.find("EASE's part");
  const size_t network = train.err.find("(gaussian_sample)");
  EXPECT_TRUE(data < ease_part && ease_part < network && network != std::string::npos) << train.err;
  auto vae = run_aekit(dir, common + "--model mult-vae --out vae.aek");
  ASSERT_EQ(vae.exit_code, 0) << vae.err;
  const auto mixed_summary = nlohmann::json::parse(train.out), vae_summary = nlohmann::json::parse(vae.out);
  std::set<std::string> mixed_keys, vae_keys;
  for (const auto& [key, value] : mixed_summary.items()) mixed_keys.insert(key);
  for (const auto& [key, value] : vae_summary.items()) vae_keys.insert(key);
  EXPECT_EQ(mixed_keys, vae_keys) << "--json: the same summary as mult-vae's";

  const std::string info = expect_ranks_users_items(dir, "mix.aek", "ease-vae");
  // 30 users, 40 items: EASE's part solved and stored through the users (recsys/ease_map.h).
  EXPECT_NE(info.find("x EASE (item map: factored (30 users, 384 interactions))"), std::string::npos) << info;
  // The weighted input and the lambda of the joint choice (training "mix"), as trained.
  EXPECT_NE(info.find("input        ratings >= 4 interactions of weight 1, the lower ones of weight "), std::string::npos)
      << info;
  const size_t kept = train.err.find("x EASE (lambda ");
  ASSERT_NE(kept, std::string::npos) << train.err;
  const std::string lambda = train.err.substr(kept + 15, train.err.find_first_of(",) ", kept + 15) - kept - 15);
  EXPECT_NE(info.find("ease lambda  " + lambda + "\n"), std::string::npos) << lambda << "\n" << info;

  const auto listed = expect_fold_in_gives_the_list(dir, "mix.aek", "1003");
  const auto alone = nlohmann::json::parse(run_aekit(dir, "recommend vae.aek --user 1003 --top 5 --json").out);
  EXPECT_NE(listed["recommendations"], alone["recommendations"]) << "the mix's scores, not the network's alone";

  expect_train_refuses(dir, {"--model ease-vae --mix-weight 1.5",
                             "--model ease-vae --mix-weight -0.1",
                             "--model ease-vae --mix-weight 0.5,x",
                             "--model ease-vae --mix-weight auto --validation-split 0",
                             "--model ease-vae --ease-lambda 0",
                             // Named, auto asks for a threshold; the kind's default auto is dropped instead.
                             "--model ease-vae --low-rating-weight auto --interaction-threshold 0",
                             "--model ease-vae --low-rating-weight 0.5,x",
                             "--model mult-vae --mix-weight 0.5",
                             // The network's options are checked before EASE's part is solved (one line).
                             "--model ease-vae --refeed 1", "--model ease-vae --refit --validation-split 0"});
}

// With --refit the stopping line describes the selection run (its best epoch's weights are not
// what is written), the refit says where its epochs went in --metrics-csv, and the --json summary
// gives the refit's epoch count beside the selection run's best epoch.
TEST(CliRecommender, RefitSaysWhichRunEachFigureDescribes) {
  ScratchDir dir;
  write_text(dir / "ratings.csv", ratings_text());
  auto train = run_aekit(dir, "train --ratings ratings.csv --model autorec-u --arch 8 --epochs 40 --patience 3 "
                              "--lr 0.01 --refit --metrics-csv m.csv --json --out rec.aek");
  ASSERT_EQ(train.exit_code, 0) << train.err;
  const auto summary = nlohmann::json::parse(train.out);
  const int refit = summary["refit_epochs"].get<int>();
  EXPECT_EQ(refit, summary["best_epoch"].get<int>());
  EXPECT_NE(train.err.find("in --metrics-csv, numbered from 1 again"), std::string::npos) << train.err;
  EXPECT_NE(train.err.find("the model written is the refit's network after its " + std::to_string(refit) + " epochs"),
            std::string::npos)
      << train.err;
  if (summary["stopped_early"].get<bool>() || refit != summary["epochs_run"].get<int>()) {
    EXPECT_NE(train.err.find("the selection run: "), std::string::npos) << train.err;
    EXPECT_NE(train.err.find("its best epoch was " + std::to_string(refit)), std::string::npos) << train.err;
  }
  EXPECT_EQ(train.err.find("kept the weights"), std::string::npos) << train.err;
  // One CSV line per epoch of both runs, after the header.
  EXPECT_EQ(count_lines(slurp(dir / "m.csv")) - 1, summary["epochs_run"].get<int>() + refit);
}

// autorec-i refits by default; with the carve turned off it trains on every rating without a
// refit, while a named --refit without a carve is an error (one line, exit code 2).
TEST(CliRecommender, DefaultRefitGivesWayWithoutACarve) {
  ScratchDir dir;
  write_text(dir / "ratings.csv", ratings_text());
  auto plain = run_aekit(dir, "train --ratings ratings.csv --arch 8 --epochs 3 --json --out a.aek");
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_TRUE(nlohmann::json::parse(plain.out).contains("refit_epochs")) << "autorec-i refits by default";
  auto no_carve = run_aekit(dir, "train --ratings ratings.csv --arch 8 --epochs 3 --validation-split 0 --patience 0 "
                                 "--json --out b.aek");
  ASSERT_EQ(no_carve.exit_code, 0) << no_carve.err;
  EXPECT_FALSE(nlohmann::json::parse(no_carve.out).contains("refit_epochs")) << no_carve.out;
  auto named = run_aekit(dir, "train --ratings ratings.csv --arch 8 --epochs 3 --validation-split 0 --patience 0 "
                              "--refit --out c.aek");
  EXPECT_EQ(named.exit_code, 2);
  EXPECT_NE(named.err.find("needs --validation-split > 0"), std::string::npos) << named.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "c.aek"));
}

// deeprec trains with dense re-feeding and code dropout and predicts ratings; the options that
// belong to other models, or take impossible values, are one line and exit code 2.
TEST(CliRecommender, DeepRecTrainsAndItsOptionsAreChecked) {
  ScratchDir dir;
  write_text(dir / "ratings.csv", ratings_text());
  auto train = run_aekit(dir, "train --ratings ratings.csv --model deeprec --arch 16-8 --epochs 20 --holdout 0.2 "
                              "--out deep.aek");
  ASSERT_EQ(train.exit_code, 0) << train.err;
  auto eval = run_aekit(dir, "eval deep.aek --ratings-test ratings.csv --json");
  ASSERT_EQ(eval.exit_code, 0) << eval.err;
  EXPECT_TRUE(nlohmann::json::parse(eval.out)["rmse"].is_number()) << eval.out;
  auto info = run_aekit(dir, "info deep.aek");
  EXPECT_NE(info.out.find("masked_mse"), std::string::npos) << info.out;
  EXPECT_NE(info.out.find("dropout"), std::string::npos) << "dropout on the code: " << info.out;

  expect_train_refuses(dir, {"--model deeprec --refeed -1", "--model deeprec --code-dropout 1.5",
                             "--model autorec-i --interaction-threshold 4", "--model mult-dae --refeed 1"});
}

}  // namespace
}  // namespace aekit::test
