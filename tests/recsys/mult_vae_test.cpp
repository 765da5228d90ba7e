// Mult-VAE (Liang et al. 2018): the network its defaults build (the code layer's means and
// log-variances, the gaussian_sample layer with the KL per user at the annealed weight), the whole
// objective (multinomial likelihood + KL through SparseNetwork) by finite differences with the
// noise held fixed, and a trained model through the model file and back.
#include "../gradcheck/gradcheck.h"
#include "random_ratings.h"

#include <aekit/layers/gaussian_sample.h>
#include <aekit/recsys/multinomial_loss.h>
#include <aekit/recsys/predict.h>
#include <aekit/recsys/recommender_job.h>
#include <aekit/recsys/recommender_kinds.h>
#include <aekit/recsys/row_normalisation.h>
#include <aekit/recsys/sparse_network.h>

#include <filesystem>
#include <fstream>

namespace aekit::test {
namespace {

constexpr int64_t kItems = 12;

// mult-vae's defaults on a small network: items-8-3 (tanh), as the recommender job builds it.
ModelSpec mult_vae_spec() {
  TrainOptions o;
  apply_recommender_defaults("mult-vae", o);
  o.model.encoder = {kItems, 8, 3};
  o.loss = "multinomial";
  return o.model_spec(Shape{kItems});
}

CsrMatrix interactions(int64_t rows, uint64_t seed) {
  return test::random_ratings(rows, kItems, seed, 0.3, test::RatingKind::Implicit);
}

GaussianSample& vae_sampling_layer_of(Autoencoder& net, size_t* index = nullptr) {
  for (size_t i = 0; i < net.layer_count(); ++i)
    if (auto* s = dynamic_cast<GaussianSample*>(&net.layer(i))) {
      if (index) *index = i;
      return *s;
    }
  throw std::logic_error("no gaussian_sample layer");
}

TEST(MultVae, DefaultsBuildMeansLogVariancesAndThePerUserKl) {
  const ModelSpec spec = mult_vae_spec();
  ASSERT_EQ(spec.encoder.size(), 3u);
  EXPECT_EQ(spec.encoder[0].kind, "dense");
  EXPECT_EQ(spec.encoder[0].text("activation", ""), "tanh");
  EXPECT_EQ(spec.encoder[1].integer("out"), 6) << "the code layer gives 3 means and 3 log-variances";
  EXPECT_FALSE(spec.encoder[1].options.contains("activation"));
  EXPECT_EQ(spec.encoder[2].kind, "gaussian_sample");
  EXPECT_TRUE(spec.encoder[2].flag("per_sample", false));
  EXPECT_DOUBLE_EQ(spec.encoder[2].number("beta"), 0.2) << "Liang et al.'s anneal cap";

  // The KL term at epoch 5 of a 20-epoch anneal: 0.2 * 5/20 times the batch's mean KL per user,
  // not divided by the item count as a mean-over-outputs loss would need.
  Autoencoder net(spec, 3);
  size_t sample_at = 0;
  vae_sampling_layer_of(net, &sample_at);
  const int warmup = static_cast<int>(spec.encoder[2].integer("warmup"));
  ASSERT_GT(warmup, 5);
  net.begin_epoch(5);
  const CsrMatrix x = l2_normalised_rows(interactions(5, 1));
  SparseNetwork sparse(net);
  const std::vector<int64_t> rows{0, 1, 2, 3, 4};
  sparse.forward_full(x, rows, Mode::Train);
  const std::vector<LossTerm> terms = net.loss_terms();
  ASSERT_EQ(terms.size(), 1u);
  Tensor dense({5, kItems});
  for (const CsrEntry& e : x.entries()) dense.row(e.row)[e.col] = e.value;
  const Tensor stats = net.infer_layers(0, sample_at, dense.view());
  double mean_kl = 0;
  for (double kl : gaussian_kl_per_row(stats.view())) mean_kl += kl / 5;
  EXPECT_NEAR(terms[0].value, 0.2 * 5.0 / warmup * mean_kl, 1e-6 * (1 + mean_kl));
}

// Liang et al.'s initialisation (Glorot uniform weights, biases N(0, 0.001) cut at 2 deviations)
// and the refit after the carve are mult-vae's defaults.
TEST(MultVae, DefaultsInitialiseAsTheirCodeAndRefit) {
  TrainOptions o;
  apply_recommender_defaults("mult-vae", o);
  EXPECT_TRUE(o.refit);
  Autoencoder net(mult_vae_spec(), 3);
  for (const Param& p : net.params()) {
    float largest = 0;
    for (float v : p.value->span()) largest = std::max(largest, std::abs(v));
    if (p.name.find("bias") != std::string::npos) {
      EXPECT_GT(largest, 0.0f) << p.name;
      EXPECT_LE(largest, 0.002f) << p.name;
    } else {
      const int64_t fan_sum = p.value->dim(0) + p.value->dim(1);
      EXPECT_LE(largest, std::sqrt(6.0f / static_cast<float>(fan_sum))) << p.name;
      EXPECT_GT(largest, 0.5f * std::sqrt(6.0f / static_cast<float>(fan_sum))) << p.name;
    }
  }
}

void set_option(TrainOptions& o, const std::string& name, const std::string& value) {
  for (const OptionDef& def : train_option_table())
    if (def.name == name) return def.set(o, value);
  FAIL() << name;
}

// The two KL annealings exclude each other, so a flag for one replaces a model default of the other.
TEST(MultVae, EachKlAnnealingFlagTurnsTheOtherOff) {
  TrainOptions o;
  apply_recommender_defaults("mult-vae", o);
  o.model.encoder = {kItems, 8, 3};
  o.loss = "multinomial";
  set_option(o, "kl-anneal-steps", "5000");
  EXPECT_EQ(o.kl_anneal_steps, 5000);
  EXPECT_EQ(o.kl_warmup, 0);
  EXPECT_NO_THROW(o.model_spec(Shape{kItems}));
  set_option(o, "kl-warmup", "7");
  EXPECT_EQ(o.kl_warmup, 7);
  EXPECT_EQ(o.kl_anneal_steps, 0);
  set_option(o, "kl-anneal-steps", "0");  // a zero turns nothing off
  EXPECT_EQ(o.kl_warmup, 7);
  o.kl_anneal_steps = 10;  // both set behind the table's back: the layer refuses them
  EXPECT_THROW(Autoencoder(o.model_spec(Shape{kItems}), 1), InputError);
}

// d(multinomial NLL + weighted KL)/d(every parameter) through SparseNetwork's CSR first layer,
// the sampling layer and the dense logits, against central differences of the same objective
// (the sampling layer reseeded before each forward, so the noise is the same draw).
TEST(MultVae, ObjectiveGradientMatchesFiniteDifferences) {
  Autoencoder net(mult_vae_spec(), 5);
  net.begin_epoch(10);  // KL weight 0.1 on the default anneal
  GaussianSample& sampling = vae_sampling_layer_of(net);
  ASSERT_GT(sampling.kl_weight(), 0.0);
  const CsrMatrix target = interactions(6, 2);
  const CsrMatrix input = l2_normalised_rows(target);
  const std::vector<int64_t> rows{4, 0, 3};
  SparseNetwork sparse(net);
  auto objective = [&](Tensor* grad) {
    sampling.reseed(17);
    const ConstMatrixView logits = sparse.forward_full(input, rows, Mode::Train);
    double loss = multinomial_nll(logits, target, rows, grad ? grad->view() : MatrixView{});
    for (const LossTerm& t : net.loss_terms()) loss += t.value;
    return loss;
  };
  Tensor grad({3, kItems});
  objective(&grad);
  sparse.backward_full(grad.view());
  for (const Param& p : net.params()) {
    const Tensor analytic = *p.grad;
    expect_gradient_matches(p.name, *p.value, analytic, [&] { return objective(nullptr); }, 1e-2, 1e-4, 1e-2);
  }
}

// A few epochs on generated ratings, saved and loaded: the same network, the sampling layer's
// options kept, and the same (deterministic: the posterior mean) scores for every user.
TEST(MultVae, ModelFileRoundTripKeepsTheNetworkAndItsScores) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("aekit_mult_vae_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    std::ofstream out(dir / "ratings.csv");
    out << "user,item,rating\n";
    for (int u = 0; u < 20; ++u)
      for (int i = 0; i < 15; ++i)
        if ((u * 5 + i * 3) % 4 < 2) out << 100 + u << "," << 7 + i << "," << ((u + i) % 2 ? 4 : 2) << "\n";
  }
  TrainOptions o;
  o.ratings = (dir / "ratings.csv").string();
  apply_recommender_defaults("mult-vae", o);
  o.model.encoder = {1, 8, 3};
  o.arch_given = false;
  o.train.epochs = 3;
  o.train.patience = 0;
  o.train.batch_size = 4;
  o.threads = 1;
  RecommenderJobResult job = run_recommender_job(o);
  const std::string path = (dir / "vae.aek").string();
  save_recommender(path, job.model);
  Recommender loaded = load_recommender(path);
  EXPECT_EQ(loaded.kind, "mult-vae");
  EXPECT_TRUE(loaded.normalise_rows);
  EXPECT_EQ(loaded.network.network->spec(), job.model.network.network->spec());
  EXPECT_EQ(loaded.network.loss, "multinomial");
  const std::vector<int64_t> users{0, 7, 19};
  const Tensor before = predict_users(job.model, users);
  const Tensor again = predict_users(job.model, users);
  const Tensor after = predict_users(loaded, users);
  ASSERT_EQ(before.shape(), after.shape());
  for (int64_t k = 0; k < before.size(); ++k) {
    ASSERT_EQ(before[k], again[k]) << "scores use the mean, never a sample";
    ASSERT_EQ(before[k], after[k]) << k;
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace aekit::test
