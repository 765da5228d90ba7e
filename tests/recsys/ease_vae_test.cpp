// ease-vae (ease_vae.h, score_mix.h): the per-user standardised mix against a hand-computed case,
// the mix weight's choice where the answer is known, the kind's defaults (the ratings under the
// positive threshold weighted as EASE's carve chooses, for both parts), lambda and the mix weight
// chosen together, each end of the mix giving its part's ranking, the model file round trip with
// both parts, fold-in through both parts, and an interrupted run resumed to the model of a run
// never interrupted.
#include <aekit/core/error.h>
#include <aekit/io/model_file.h>
#include <aekit/recsys/ease_fit.h>
#include <aekit/recsys/ease_map.h>
#include <aekit/recsys/ease_vae.h>
#include <aekit/recsys/predict.h>
#include <aekit/recsys/recommender_job.h>
#include <aekit/recsys/recommender_kinds.h>
#include <aekit/recsys/score_mix.h>
#include <aekit/train/checkpoint.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <unistd.h>

namespace aekit::test {
namespace {

TEST(ScoreMix, StandardisedMixMatchesAHandComputedCase) {
  // Item 3 is rated: it is no candidate, and the candidates' mean and deviation leave it out.
  // Over {3, 2, 0} and {0, 2, 3}: mean 5/3, deviation sqrt(14)/3, so
  // z(ease) = (4, 1, -5, 22) / sqrt(14) and z(vae) = (-5, 1, 4, -20) / sqrt(14).
  const std::vector<float> ease{3, 2, 0, 9}, vae{0, 2, 3, -5};
  const std::vector<uint8_t> candidates{1, 1, 1, 0};
  std::vector<float> out(4);
  mix_standardised(ease, vae, candidates, 0.25, out);
  const double s = std::sqrt(14.0);
  const double expected[] = {1.75 / s, 1.0 / s, -2.75 / s, 11.5 / s};  // 0.75 z(ease) + 0.25 z(vae)
  for (size_t i = 0; i < 4; ++i) EXPECT_NEAR(out[i], expected[i], 1e-6) << i;

  std::vector<float> z = ease;
  standardise_over_candidates(z, candidates);
  EXPECT_NEAR(z[0], 4 / s, 1e-6);
  EXPECT_NEAR(z[3], 22 / s, 1e-6);
  // Equal candidate scores are centred only, and so are scores equal but for float rounding.
  std::vector<float> flat{2, 2, 2, 5};
  standardise_over_candidates(flat, candidates);
  EXPECT_EQ(flat, (std::vector<float>{0, 0, 0, 3}));
  std::vector<float> rounded{1.0f, std::nextafter(1.0f, 2.0f), 1.0f, 5};
  standardise_over_candidates(rounded, candidates);
  for (size_t i = 0; i < 3; ++i) EXPECT_NEAR(rounded[i], 0.0, 1e-6) << i;
}

TEST(ScoreMix, ValidationChoosesTheWeightThatRanksTheHeldOutItemFirst) {
  // One user, candidates {0, 1, 2}, item 1 held out. EASE ranks 0 > 1 > 2 and the network
  // 2 > 1 > 0: either alone puts item 1 second (NDCG 1 / log2(3)); half of each puts it first.
  Tensor ease({2, 4}), vae({2, 4});
  const float e[] = {3, 2, 0, 9}, v[] = {0, 2, 3, -5};
  for (int i = 0; i < 4; ++i) {
    ease.row(0)[i] = ease.row(1)[i] = e[i];
    vae.row(0)[i] = vae.row(1)[i] = v[i];
  }
  const std::vector<uint8_t> candidates{1, 1, 1, 0, 1, 1, 1, 0};
  const std::vector<std::vector<int64_t>> relevant{{1}, {}};  // the second user has nothing held out
  MixValidation validation({0.0, 0.5, 1.0});
  validation.add(ease, vae, candidates, relevant);
  const auto trials = validation.trials();
  ASSERT_EQ(trials.size(), 3u);
  EXPECT_NEAR(trials[0].ndcg, 1 / std::log2(3.0), 1e-12);
  EXPECT_NEAR(trials[1].ndcg, 1.0, 1e-12);
  EXPECT_NEAR(trials[2].ndcg, 1 / std::log2(3.0), 1e-12);
  EXPECT_EQ(validation.best().weight, 0.5);
  // A tie goes to the earlier weight, and among pairs to the earlier trial.
  MixValidation ends({1.0, 0.0});
  ends.add(ease, vae, candidates, relevant);
  EXPECT_EQ(ends.best().weight, 1.0);
  const std::vector<MixTrial> pairs{{0.5, 0.2, 10}, {0.7, 0.3, 10}, {0.5, 0.3, 100}, {0.9, 0.1, 100}};
  EXPECT_EQ(best_mix(pairs).weight, 0.7);
  EXPECT_EQ(best_mix(pairs).lambda, 10);
}

// ease-vae's defaults: the ratings under the positive threshold (NaN: resolved once the ratings are
// read) weighted by a W of auto's, and lambda and the mix weight chosen among auto's; another
// kind's defaults put every rating alike back.
TEST(EaseVaeKind, DefaultsWeighTheLowRatingsAndChooseEveryGrid) {
  TrainOptions o;
  apply_recommender_defaults("ease-vae", o);
  EXPECT_TRUE(std::isnan(o.interaction_threshold));
  EXPECT_EQ(parse_low_rating_weights(o.low_rating_weight), (std::vector<double>{0.2, 0.4, 0.6, 0.8}));
  EXPECT_EQ(parse_ease_lambdas(o.ease_lambda), (std::vector<double>{20, 50, 100, 200, 500, 1000}));
  EXPECT_EQ(parse_mix_weights(o.mix_weight).size(), 13u);
  apply_recommender_defaults("mult-vae", o);
  EXPECT_EQ(o.interaction_threshold, 0.0f);
  EXPECT_EQ(o.low_rating_weight, "0");
}

TEST(ScoreMix, MixWeightsParseAndRefuseOutsideZeroToOne) {
  EXPECT_EQ(parse_mix_weights("0.9"), (std::vector<double>{0.9}));
  EXPECT_EQ(parse_mix_weights("0,1"), (std::vector<double>{0, 1}));
  EXPECT_EQ(parse_mix_weights("auto").size(), 13u);
  for (const char* bad : {"1.5", "-0.1", "x", "", "0.5,", "nan", "inf"})
    EXPECT_THROW(parse_mix_weights(bad), InputError) << bad;
}

// A small rating file (two taste groups), written once per test.
// Two EASE parts hold the same tensors (dense or factored alike).
void expect_same_ease(const EaseMap& got, const EaseMap& want) {
  ASSERT_EQ(got.factored(), want.factored());
  ModelFile a, b;
  add_ease_tensors(got, "e", a);
  add_ease_tensors(want, "e", b);
  ASSERT_EQ(a.tensors.size(), b.tensors.size());
  for (size_t t = 0; t < a.tensors.size(); ++t) {
    ASSERT_EQ(a.tensors[t].name, b.tensors[t].name);
    ASSERT_EQ(a.tensors[t].tensor.shape(), b.tensors[t].tensor.shape()) << a.tensors[t].name;
    EXPECT_EQ(std::memcmp(a.tensors[t].tensor.data(), b.tensors[t].tensor.data(),
                          static_cast<size_t>(a.tensors[t].tensor.size()) * sizeof(float)),
              0)
        << a.tensors[t].name;
  }
}

// Every user's scores, which `loaded` must give exactly as `saved` does; returns them.
Tensor expect_same_scores(Recommender& saved, Recommender& loaded) {
  std::vector<int64_t> users(static_cast<size_t>(loaded.train.users.size()));
  for (size_t u = 0; u < users.size(); ++u) users[u] = static_cast<int64_t>(u);
  const Tensor before = predict_users(saved, users);
  Tensor after = predict_users(loaded, users);
  EXPECT_EQ(before.shape(), after.shape());
  for (int64_t k = 0; k < std::min(before.size(), after.size()); ++k)
    if (before[k] != after[k]) {
      ADD_FAILURE() << "score " << k << ": " << before[k] << " saved, " << after[k] << " loaded";
      break;
    }
  return after;
}

class EaseVaeJob : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("aekit_ease_vae_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    std::ofstream out(dir_ / "ratings.csv");
    out << "user,item,rating\n";
    for (int u = 0; u < 24; ++u)
      for (int i = 0; i < 18; ++i)
        if ((u * 5 + i * 3 + u * i) % 4 < 2) out << 100 + u << "," << 7 + i << "," << ((u + i) % 2 ? 4 : 2) << "\n";
    // Fewer users than items: EASE's part is solved and stored factored (ease_map.h).
    std::ofstream wide(dir_ / "wide.csv");
    wide << "user,item,rating\n";
    for (int u = 0; u < 9; ++u)
      for (int i = 0; i < 30; ++i)
        if ((u * 7 + i * 3 + u * i) % 5 < 2) wide << 100 + u << "," << 7 + i << "," << ((u + i) % 2 ? 4 : 2) << "\n";
    // Three taste groups with noise (a fixed LCG): EASE ranks the two files above perfectly at every
    // lambda and weight, this one not, so the choices below have something to choose.
    std::ofstream noisy(dir_ / "noisy.csv");
    noisy << "user,item,rating\n";
    uint64_t x = 4;
    for (int u = 0; u < 40; ++u)
      for (int i = 0; i < 30; ++i) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        const uint64_t r = x >> 33;
        const bool likes = u % 3 == i % 3;
        if (r % 100 >= (likes ? 50u : 20u)) continue;
        const bool high = likes != ((r >> 12) % 4 == 0);
        noisy << 100 + u << "," << 7 + i << "," << (high ? 4 + (r >> 8) % 2 : 1 + (r >> 8) % 3) << "\n";
      }
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  TrainOptions options(const std::string& model) const {
    TrainOptions o;
    o.ratings = (dir_ / "ratings.csv").string();
    apply_recommender_defaults(model, o);
    o.model.encoder = {1, 8, 3};
    o.train.epochs = 4;
    o.train.patience = 0;
    o.train.batch_size = 4;
    o.threads = 1;
    o.ease_lambda = "5";
    return o;
  }

  // On `user`'s candidates, `mixed`'s scores are `part`'s standardised (the two compute EASE's
  // x B in other orders, so ties among equal scores may break apart: compared as numbers).
  static void expect_standardised_part(Recommender& mixed, Recommender& part, int64_t user) {
    const int64_t row[] = {user};
    const Tensor got = predict_users(mixed, row);
    Tensor want = predict_users(part, row);
    std::vector<uint8_t> candidates(static_cast<size_t>(want.cols()), 0);
    for (int32_t c : part.train.by_user.col_idx()) candidates[static_cast<size_t>(c)] = 1;
    for (int32_t c : part.train.by_user.row_cols(user)) candidates[static_cast<size_t>(c)] = 0;
    standardise_over_candidates(std::span(want.data(), static_cast<size_t>(want.cols())), candidates);
    for (size_t i = 0; i < candidates.size(); ++i)
      if (candidates[i]) {
        EXPECT_NEAR(got[static_cast<int64_t>(i)], want[static_cast<int64_t>(i)], 1e-4)
            << part.kind << " user " << user << " item " << i;
      }
  }

  std::filesystem::path dir_;
};

// Each end of the mix is one part alone, standardised: weight 0 is ease with the same lambda,
// weight 1 mult-vae trained with the same seed and settings, each on the input ease-vae's defaults
// chose: the ratings under 4 weighted as EASE's carve chose.
TEST_F(EaseVaeJob, EachEndOfTheMixRanksAsItsPartAlone) {
  TrainOptions mixed = options("ease-vae");
  mixed.ratings = (dir_ / "noisy.csv").string();
  mixed.mix_weight = "0";
  RecommenderJobResult at0 = run_recommender_job(mixed);
  mixed.mix_weight = "1";
  RecommenderJobResult at1 = run_recommender_job(mixed);
  const double w = at0.model.network.training.at("ease").at("low_rating_weight").get<double>();
  EXPECT_FLOAT_EQ(at1.model.low_rating_weight, static_cast<float>(w));
  // Not auto's first weight, which the network was built with before EASE's carve chose.
  EXPECT_NE(w, 0.2);
  const auto weighted = [&](const std::string& kind) {
    TrainOptions o = options(kind);
    o.ratings = mixed.ratings;
    o.interaction_threshold = 4;
    o.low_rating_weight = std::to_string(w);
    return o;
  };
  RecommenderJobResult ease = run_recommender_job(weighted("ease"));
  RecommenderJobResult vae = run_recommender_job(weighted("mult-vae"));
  for (int64_t user : {0, 5, 13}) {
    expect_standardised_part(at0.model, ease.model, user);
    expect_standardised_part(at1.model, vae.model, user);
  }
  // The two parts score differently here, so the comparisons above tell them apart.
  const int64_t row[] = {5};
  const Tensor e = predict_users(at0.model, row), v = predict_users(at1.model, row);
  double apart = 0;
  for (int64_t i = 0; i < e.cols(); ++i) apart = std::max(apart, std::abs(static_cast<double>(e[i] - v[i])));
  EXPECT_GT(apart, 0.5);
}

// By default the ratings under the positive threshold (4; the data's are 2 and 4) are interactions
// of a weight chosen on EASE's carve among auto's, which the model keeps for both parts and the
// record says; --positive-threshold moves the threshold; --interaction-threshold 0, or data with no
// rating under the threshold, reads every rating alike.
TEST_F(EaseVaeJob, TheDefaultsWeighTheRatingsUnderThePositiveThreshold) {
  TrainOptions o = options("ease-vae");
  o.mix_weight = "0.5";
  const RecommenderJobResult job = run_recommender_job(o);
  const nlohmann::json& training = job.model.network.training;
  ASSERT_TRUE(job.model.implicit_threshold.has_value());
  EXPECT_EQ(*job.model.implicit_threshold, 4.0f);
  const nlohmann::json& ease = training.at("ease");
  ASSERT_EQ(ease.at("validation").size(), 4u);  // auto's four weights at the one lambda
  EXPECT_EQ(ease.at("validation_relevance"), "positives");
  double best = -1, chosen = -1;
  for (const auto& t : ease.at("validation"))
    if (t.at("ndcg@100").get<double>() > best) {
      best = t.at("ndcg@100").get<double>();
      chosen = t.at("low_rating_weight").get<double>();
    }
  EXPECT_EQ(ease.at("low_rating_weight").get<double>(), chosen);
  EXPECT_FLOAT_EQ(job.model.low_rating_weight, static_cast<float>(chosen));
  EXPECT_EQ(training.at("settings").at("interaction-threshold"), "4");
  EXPECT_EQ(training.at("settings").at("low-rating-weight"), "auto");

  o.positive_threshold = 3;
  const RecommenderJobResult three = run_recommender_job(o);
  EXPECT_EQ(*three.model.implicit_threshold, 3.0f);
  EXPECT_GT(three.model.low_rating_weight, 0.0f);

  // Every rating alike: an interaction of 1 each, no weight chosen or recorded.
  const auto expect_every_rating_alike = [](const RecommenderJobResult& alike, const char* why) {
    const Recommender& m = alike.model;
    EXPECT_EQ(m.low_rating_weight, 0.0f) << why;
    EXPECT_FALSE(m.network.training.at("ease").contains("low_rating_weight")) << why;
    EXPECT_EQ(m.network.training.at("settings").at("low-rating-weight"), "0") << why;
    EXPECT_EQ(m.network.training.at("settings").at("interaction-threshold"), "0") << why;
    const std::vector<CsrEntry> x = interactions(m, m.train.by_user.entries());
    EXPECT_EQ(static_cast<int64_t>(x.size()), m.train.by_user.nnz()) << why;
    EXPECT_TRUE(std::all_of(x.begin(), x.end(), [](const CsrEntry& e) { return e.value == 1.0f; })) << why;
  };
  o.positive_threshold = 4;
  o.interaction_threshold = 0;
  expect_every_rating_alike(run_recommender_job(o), "--interaction-threshold 0");
  TrainOptions none_under = options("ease-vae");
  none_under.mix_weight = "0.5";
  none_under.positive_threshold = 2;
  expect_every_rating_alike(run_recommender_job(none_under), "no rating under the positive threshold");
}

// Lambda and the mix weight are chosen together among those given on the network's carve (the one
// the network chose its epoch on): one trial per pair, lambda-major, recorded; the pair kept is the
// best of them; B is solved on every training interaction with its lambda, whichever lambda EASE's
// own carve chose.
TEST_F(EaseVaeJob, LambdaAndTheMixWeightAreChosenTogether) {
  TrainOptions o = options("ease-vae");
  o.ratings = (dir_ / "noisy.csv").string();
  o.ease_lambda = "0.5,5,50";
  o.mix_weight = "0.2,0.7,1";
  const RecommenderJobResult job = run_recommender_job(o);
  const nlohmann::json& mix = job.model.network.training.at("mix");
  const nlohmann::json& trials = mix.at("validation");
  ASSERT_EQ(trials.size(), 9u);
  // Weight 1 is the network alone on its own carve, whatever the lambda: its validation NDCG@100
  // at the best epoch.
  double network_best = 0;
  for (const EpochReport& e : job.history.history)
    if (e.epoch == job.history.best_epoch) network_best = 1 - e.val_loss;
  const double lambdas[] = {0.5, 5, 50}, weights[] = {0.2, 0.7, 1};
  double best = -1;
  size_t chosen = 0;
  for (size_t k = 0; k < trials.size(); ++k) {
    EXPECT_EQ(trials[k].at("lambda").get<double>(), lambdas[k / 3]) << k;
    EXPECT_EQ(trials[k].at("weight").get<double>(), weights[k % 3]) << k;
    const double ndcg = trials[k].at("ndcg@100").get<double>();
    if (k % 3 == 2) {
      EXPECT_NEAR(ndcg, network_best, 1e-4) << k;
    }
    if (ndcg > best) {
      best = ndcg;
      chosen = k;
    }
  }
  EXPECT_EQ(mix.at("lambda"), trials[chosen].at("lambda"));
  EXPECT_EQ(mix.at("weight"), trials[chosen].at("weight"));
  EXPECT_FLOAT_EQ(job.model.mix_weight, static_cast<float>(trials[chosen].at("weight").get<double>()));
  // Here the mix is not one part alone, so the lambda chosen matters to it, and it is not the one
  // EASE's own carve chose: B was solved again.
  EXPECT_LT(trials[chosen].at("weight").get<double>(), 1.0);
  EXPECT_NE(job.model.network.training.at("ease").at("lambda"), mix.at("lambda"));
  const CsrMatrix& r = job.model.train.by_user;
  const EaseMap want = solve_ease_map(CsrMatrix::from_entries(r.rows(), r.cols(), interactions(job.model, r.entries())),
                                      mix.at("lambda").get<double>());
  expect_same_ease(job.model.ease, want);
  EXPECT_EQ(job.model.ease.items(), job.model.train.items.size());
}

// Saved and loaded, both parts come back: the same scores for every user, and fold-in of a
// training user's own ratings gives that user's scores.
TEST_F(EaseVaeJob, ModelFileRoundTripAndFoldInGoThroughBothParts) {
  TrainOptions o = options("ease-vae");
  o.mix_weight = "0.6";
  o.interaction_threshold = 3;
  o.low_rating_weight = "0.4";
  RecommenderJobResult job = run_recommender_job(o);
  const std::string path = (dir_ / "ease_vae.aek").string();
  save_recommender(path, job.model);
  Recommender loaded = load_recommender(path);
  EXPECT_EQ(loaded.kind, "ease-vae");
  EXPECT_FLOAT_EQ(loaded.mix_weight, 0.6f);
  EXPECT_FLOAT_EQ(loaded.low_rating_weight, 0.4f);
  expect_same_ease(loaded.ease, job.model.ease);
  const Tensor after = expect_same_scores(job.model, loaded);

  for (int64_t user : {2, 9}) {
    const auto cols = loaded.train.by_user.row_cols(user);
    const auto vals = loaded.train.by_user.row_values(user);
    std::vector<CsrEntry> own;
    for (size_t k = 0; k < cols.size(); ++k) own.push_back({0, cols[k], vals[k]});
    const Tensor folded = predict_new_user(loaded, own);
    for (int64_t i = 0; i < folded.cols(); ++i)
      EXPECT_NEAR(folded[i], after.row(user)[i], 1e-4) << user << " item " << i;
  }

  // A file whose mix lost its EASE part is damaged, not a network alone.
  Recommender broken = load_recommender(path);
  broken.kind = "mult-vae";
  save_recommender((dir_ / "broken.aek").string(), broken);
  EXPECT_THROW(load_recommender((dir_ / "broken.aek").string()), InputError);
}

// With fewer users than items EASE's part is factored: saved and loaded it scores as before, and a
// file whose factors were damaged (a user or an item index out of range, a self term of 1) is refused.
TEST_F(EaseVaeJob, AFactoredEasePartRoundTripsAndDamageIsRefused) {
  TrainOptions o = options("ease-vae");
  o.ratings = (dir_ / "wide.csv").string();
  o.mix_weight = "0.3";
  RecommenderJobResult job = run_recommender_job(o);
  ASSERT_TRUE(job.model.ease.factored());
  const std::string path = (dir_ / "wide.aek").string();
  save_recommender(path, job.model);
  Recommender loaded = load_recommender(path);
  expect_same_ease(loaded.ease, job.model.ease);
  expect_same_scores(job.model, loaded);

  const auto damaged = [&](const std::string& tensor, int64_t index, float value) {
    ModelFile file = load_model(path);
    for (NamedTensor& t : file.tensors)
      if (t.name == tensor) t.tensor[index] = value;
    const std::string out = (dir_ / "damaged.aek").string();
    std::ofstream stream(out, std::ios::binary);
    write_model(stream, file);
    stream.close();
    try {
      load_recommender(out);
      ADD_FAILURE() << tensor << " damaged at " << index << " loaded";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("factored_ease"), std::string::npos) << e.what();
    }
  };
  damaged("recommender.ease.interactions", 0, 9.0f);   // user 9 of 9
  damaged("recommender.ease.interactions", 1, -1.0f);  // item -1
  damaged("recommender.ease.self", 3, 1.0f);           // t must be under 1
}

// Stopped (as Ctrl-C stops it) during the network's selection run and resumed from its checkpoint,
// ease-vae ends with the model of a run never stopped: EASE's part is solved again (the checkpoint
// holds the network's run only) to the same B, the mix weight is chosen again on the same carve,
// and the refit trains as before.
TEST_F(EaseVaeJob, AStoppedRunResumesToTheSameModel) {
  struct EpochCount : TrainObserver {
    int epochs = 0;
    void on_epoch(const EpochReport&) override { ++epochs; }
  };
  TrainOptions o = options("ease-vae");
  o.mix_weight = "0.2,0.7";
  o.out = (dir_ / "m.aek").string();
  EpochCount whole;
  RecommenderJobHooks counted;
  counted.observer = &whole;
  const RecommenderJobResult reference = run_recommender_job(o, counted);

  struct StopAfterTheSecondEpoch : TrainObserver {
    std::atomic<int> stop{0};
    void on_epoch(const EpochReport& e) override {
      if (e.epoch == 2) stop = SIGINT;
    }
  } observer;
  RecommenderJobHooks hooks;
  hooks.observer = &observer;
  hooks.stop = &observer.stop;
  EXPECT_THROW(run_recommender_job(o, hooks), TrainingInterrupted);
  ASSERT_TRUE(std::filesystem::exists(checkpoint_path(o)));
  TrainOptions resumed = o;
  resumed.resume = checkpoint_path(o);
  EpochCount rest;
  counted.observer = &rest;
  RecommenderJobResult job = run_recommender_job(resumed, counted);
  // It resumed (a run trained anew would give the same model): the selection run's first two
  // epochs are not trained again.
  EXPECT_EQ(rest.epochs, whole.epochs - 2);

  EXPECT_EQ(job.model.mix_weight, reference.model.mix_weight);
  EXPECT_EQ(job.model.network.training.at("mix"), reference.model.network.training.at("mix"));
  expect_same_ease(job.model.ease, reference.model.ease);
  std::vector<Param> got = job.model.network.network->params();
  std::vector<Param> want = const_cast<Autoencoder&>(*reference.model.network.network).params();
  ASSERT_EQ(got.size(), want.size());
  for (size_t k = 0; k < got.size(); ++k) {
    ASSERT_EQ(got[k].value->shape(), want[k].value->shape()) << got[k].name;
    EXPECT_EQ(std::memcmp(got[k].value->data(), want[k].value->data(),
                          static_cast<size_t>(got[k].value->size()) * sizeof(float)),
              0)
        << got[k].name << " differs";
  }
}

}  // namespace
}  // namespace aekit::test
