// Checkpoints and exact resume through the training loop itself (train/checkpoint.h): a run
// stopped after any batch and resumed from its checkpoint ends with the very bits of a run that
// was never stopped, for every optimizer, with dropout, a validation split and early stopping,
// and for the sparse rows of a recommender; a checkpoint of another run is refused.
#include <aekit/core/csr_matrix.h>
#include <aekit/core/error.h>
#include <aekit/core/rng.h>
#include <aekit/io/model_file.h>
#include <aekit/losses/loss.h>
#include <aekit/models/dense_arch.h>
#include <aekit/recsys/implicit_rows.h>
#include <aekit/recsys/sparse_rows.h>
#include <aekit/train/checkpoint.h>
#include <aekit/train/dense_rows.h>
#include <aekit/train/trainer.h>
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <memory>
#include <utility>

namespace aekit {
namespace {

namespace fs = std::filesystem;

struct CheckpointDir {
  fs::path path;
  CheckpointDir() {
    std::string tmpl = (fs::temp_directory_path() / "aekit-ckpt-XXXXXX").string();
    path = mkdtemp(tmpl.data());
  }
  ~CheckpointDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
};

Tensor uniform_rows(int64_t rows, int64_t cols, uint64_t seed) {
  Rng rng(seed);
  Tensor x({rows, cols});
  for (float& v : x.span()) v = rng.uniform();
  return x;
}

std::vector<float> flat_params(Autoencoder& net) {
  std::vector<float> flat;
  for (const Param& p : net.params()) flat.insert(flat.end(), p.value->span().begin(), p.value->span().end());
  return flat;
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

// Sets the stop flag once `after` batches have run in this process.
class StopAfter final : public TrainObserver {
 public:
  StopAfter(std::atomic<int>& flag, int64_t after) : flag_(flag), after_(after) {}
  void on_batch(const BatchReport&) override {
    if (++seen_ == after_) flag_.store(2);  // SIGINT's number
  }

 private:
  std::atomic<int>& flag_;
  int64_t after_, seen_ = 0;
};

TrainOptions dense_options(const std::string& optimizer, const CheckpointDir& dir) {
  TrainOptions o;
  o.out = dir / "model.aek";
  o.model.encoder = {12, 8, 3};
  o.model.activation = "tanh";
  o.model.dropout = 0.2f;        // layer generators the checkpoint must carry: dropout masks
  o.corrupt = "gaussian:0.1";    // and input corruption (a normal draw keeps a spare between batches)
  o.train.epochs = 4;
  o.train.batch_size = 10;
  o.train.seed = 7;
  o.train.optimizer = OptimizerConfig::defaults_for(optimizer);
  o.train.optimizer.lr = 0.01f;
  if (optimizer == "sgd" || optimizer == "rmsprop") o.train.optimizer.momentum = 0.9f;
  if (optimizer == "rmsprop") o.train.optimizer.centered = true;
  if (optimizer == "adam") o.train.optimizer.amsgrad = true;
  o.train.validation_split = 0.2f;
  o.train.patience = 3;  // early stopping keeps the best weights: they are in the checkpoint too
  o.train.schedule = "cosine";
  return o;
}

// Trains the dense model of `o` on x, stopping after `stop_after` batches (0: never) and resuming
// from the checkpoint as often as it takes; returns the final weights and how many stops it took.
std::pair<std::vector<float>, int> train_with_stops(const TrainOptions& base, const Tensor& x, int64_t stop_after) {
  auto loss = make_loss("mse");
  int stops = 0;
  TrainOptions o = base;
  for (;;) {
    Autoencoder net(o.model_spec(Shape{x.cols()}), o.train.seed);
    std::atomic<int> flag{0};
    StopAfter observer(flag, stop_after);
    const TrainControl control = checkpoint_control(o, data_fingerprint(x.view()), &flag);
    try {
      train(net, x, *loss, o.train, stop_after > 0 ? &observer : nullptr, control);
      return {flat_params(net), stops};
    } catch (const TrainingInterrupted& e) {
      EXPECT_EQ(e.signal(), 2);
      EXPECT_TRUE(fs::exists(checkpoint_path(o))) << e.what();
      ++stops;
      o.resume = checkpoint_path(o);
    }
  }
}

class ResumeEachOptimizer : public ::testing::TestWithParam<const char*> {};

TEST_P(ResumeEachOptimizer, StoppedEveryFewBatchesEndsBitIdentical) {
  CheckpointDir dir;
  const Tensor x = uniform_rows(95, 12, 3);  // 76 training rows: 8 batches an epoch, the last one short
  const TrainOptions o = dense_options(GetParam(), dir);
  const auto [reference, no_stops] = train_with_stops(o, x, 0);
  EXPECT_EQ(no_stops, 0);
  // Stops mid-epoch, on an epoch's last batch (8) and across epoch ends.
  for (int64_t every : {3, 8, 5}) {
    const auto [resumed, stops] = train_with_stops(o, x, every);
    EXPECT_GE(stops, 3) << "every " << every;
    EXPECT_TRUE(same_bits(reference, resumed)) << GetParam() << ", stopped every " << every << " batches";
  }
}

INSTANTIATE_TEST_SUITE_P(Optimizers, ResumeEachOptimizer, ::testing::Values("adam", "adamw", "sgd", "rmsprop", "adagrad"));

// A KL weight annealed per update step (Liang et al.'s schedule) continues where it stopped: the
// step comes from the loop's position, which the checkpoint holds. 8 batches an epoch and a
// 20-step anneal, so the weight changes inside epochs and across stops.
TEST(Checkpoint, PerStepKlAnnealingResumesBitIdentical) {
  CheckpointDir dir;
  const Tensor x = uniform_rows(95, 12, 3);
  TrainOptions o = dense_options("adam", dir);
  o.variational = true;
  o.beta = 0.5;
  o.kl_anneal_steps = 20;
  const auto [reference, no_stops] = train_with_stops(o, x, 0);
  EXPECT_EQ(no_stops, 0);
  const auto [resumed, stops] = train_with_stops(o, x, 5);
  EXPECT_GE(stops, 3);
  EXPECT_TRUE(same_bits(reference, resumed));
  // And the schedule matters: without it the weights differ.
  o.kl_anneal_steps = 0;
  EXPECT_FALSE(same_bits(reference, train_with_stops(o, x, 0).first));
}

TEST(Checkpoint, AnEveryNBatchesCheckpointResumesExactly) {
  // The periodic checkpoint, not only the one written on a stop: copy it away mid-run, finish the
  // run, then resume from the copy.
  CheckpointDir dir;
  const Tensor x = uniform_rows(60, 12, 4);
  TrainOptions o = dense_options("adam", dir);
  o.checkpoint_every = "7b";
  auto loss = make_loss("mse");
  Autoencoder first(o.model_spec(Shape{12}), o.train.seed);
  struct CopyAt final : TrainObserver {
    std::string from, to;
    int64_t seen = 0;
    void on_batch(const BatchReport&) override {
      if (++seen == 9) fs::copy_file(from, to);  // the checkpoint of batch 7 (epoch 2, batch 2 of 5)
    }
  } copier;
  copier.from = checkpoint_path(o);
  copier.to = dir / "copy.ckpt";
  train(first, x, *loss, o.train, &copier, checkpoint_control(o, data_fingerprint(x.view()), nullptr));
  ASSERT_TRUE(fs::exists(copier.to));
  const ModelFile saved = load_model(copier.to);
  EXPECT_EQ(saved.metadata.at("format"), "aekit-checkpoint");
  o.resume = copier.to;
  Autoencoder second(o.model_spec(Shape{12}), o.train.seed);
  train(second, x, *loss, o.train, nullptr, checkpoint_control(o, data_fingerprint(x.view()), nullptr));
  EXPECT_TRUE(same_bits(flat_params(first), flat_params(second)));
}

TEST(Checkpoint, OtherOptionsOrDataAreRefusedInOneLine) {
  CheckpointDir dir;
  const Tensor x = uniform_rows(60, 12, 5);
  TrainOptions o = dense_options("adam", dir);
  o.checkpoint_every = "1";
  auto loss = make_loss("mse");
  {
    Autoencoder net(o.model_spec(Shape{12}), o.train.seed);
    o.train.epochs = 2;
    o.train.patience = 0;
    o.train.validation_split = 0;
    train(net, x, *loss, o.train, nullptr, checkpoint_control(o, data_fingerprint(x.view()), nullptr));
  }
  // A run of 2 epochs writes its epoch-1 checkpoint and removes nothing (the CLI removes it).
  ASSERT_TRUE(fs::exists(checkpoint_path(o)));
  o.resume = checkpoint_path(o);
  TrainOptions other_lr = o;
  other_lr.train.optimizer.lr = 0.1f;
  try {
    checkpoint_control(other_lr, data_fingerprint(x.view()), nullptr);
    FAIL() << "a checkpoint of another learning rate was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("--lr was '0.01' and is now '0.1'"), std::string::npos) << e.what();
  }
  const Tensor other = uniform_rows(60, 12, 6);
  EXPECT_THROW(checkpoint_control(o, data_fingerprint(other.view()), nullptr), InputError);
  // Threads and outputs may differ.
  TrainOptions free = o;
  free.threads = 2;
  free.out = dir / "elsewhere.aek";
  EXPECT_NO_THROW(checkpoint_control(free, data_fingerprint(x.view()), nullptr));
  // A model file is not a checkpoint.
  TrainOptions model_as_checkpoint = o;
  ModelFile model;
  model.metadata["format"] = "aekit-model";
  model.tensors.push_back({"w", Tensor({2}), false});
  save_model(dir / "m.aek", model);
  model_as_checkpoint.resume = dir / "m.aek";
  EXPECT_THROW(checkpoint_control(model_as_checkpoint, data_fingerprint(x.view()), nullptr), InputError);
}

TEST(Checkpoint, RecommenderRowsResumeBitIdentical) {
  // The sparse rows of a rating matrix through the same loop, with accumulated gradients (the
  // seeds' missing zero_grad) as state the checkpoint must carry.
  CheckpointDir dir;
  Rng rng(9);
  std::vector<CsrEntry> entries;
  for (int r = 0; r < 40; ++r)
    for (int c = 0; c < 15; ++c)
      if (rng.uniform() < 0.3f) entries.push_back({r, c, static_cast<float>(1 + rng.below(5))});
  const CsrMatrix ratings = CsrMatrix::from_entries(40, 15, entries);
  TrainOptions o;
  o.out = dir / "rec.aek";
  o.ratings = "ratings.csv";
  o.model.encoder = {15, 6};
  o.model.activation = "sigmoid";
  o.model.output_activation = "identity";
  o.train.epochs = 3;
  o.train.batch_size = 4;
  o.train.optimizer = OptimizerConfig::defaults_for("adam");
  o.train.validation_split = 0.1f;
  // With input dropout (--input-dropout, autorec-i's default) the batches draw from the source's
  // own generator, which the checkpoint must carry too.
  // The first weight trained transposed (the recommender job's choice) saves and resumes that copy,
  // and with accumulated gradients (seed-sae) its sum in the same layout.
  for (const float input_dropout : {0.0f, 0.3f}) {
    for (const auto& [accumulate, transposed] : {std::pair{false, false}, {true, false}, {false, true}, {true, true}}) {
      auto run = [&](int64_t stop_after) {
        TrainOptions run_options = o;
        for (;;) {
          Autoencoder net(run_options.model_spec(Shape{15}), 1);
          SparseRows rows(net, ratings, {MaskedNormalisation::Rated, accumulate, input_dropout, 7, 0, transposed});
          std::atomic<int> flag{0};
          StopAfter observer(flag, stop_after);
          try {
            train(rows, run_options.train, stop_after > 0 ? &observer : nullptr,
                  checkpoint_control(run_options, data_fingerprint(ratings), &flag));
            return flat_params(net);
          } catch (const TrainingInterrupted&) {
            run_options.resume = checkpoint_path(run_options);
          }
        }
      };
      EXPECT_TRUE(same_bits(run(0), run(4))) << "accumulate " << accumulate << ", transposed " << transposed
                                             << ", input dropout " << input_dropout;
    }
  }
}

TEST(Checkpoint, ImplicitRowsWithInputDropoutResumeBitIdentical) {
  // Mult-DAE's rows drop half of each input by default: the drawing generator must be resumed.
  CheckpointDir dir;
  Rng rng(11);
  std::vector<CsrEntry> entries;
  for (int r = 0; r < 40; ++r)
    for (int c = 0; c < 20; ++c)
      if (rng.uniform() < 0.3f) entries.push_back({r, c, 1.0f});
  const CsrMatrix interactions = CsrMatrix::from_entries(40, 20, entries);
  TrainOptions o;
  o.out = dir / "multdae.aek";
  o.ratings = "interactions.csv";
  o.model.encoder = {20, 8};
  o.model.activation = "tanh";
  o.model.output_activation = "identity";
  o.train.epochs = 3;
  o.train.batch_size = 4;
  o.train.optimizer = OptimizerConfig::defaults_for("adam");
  o.train.validation_split = 0.1f;
  auto run = [&](int64_t stop_after) {
    TrainOptions run_options = o;
    for (;;) {
      Autoencoder net(run_options.model_spec(Shape{20}), 1);
      ImplicitRows rows(net, interactions, {0.5f, 5});
      std::atomic<int> flag{0};
      StopAfter observer(flag, stop_after);
      try {
        train(rows, run_options.train, stop_after > 0 ? &observer : nullptr,
              checkpoint_control(run_options, data_fingerprint(interactions), &flag));
        return flat_params(net);
      } catch (const TrainingInterrupted&) {
        run_options.resume = checkpoint_path(run_options);
      }
    }
  };
  EXPECT_TRUE(same_bits(run(0), run(5)));
}

TEST(Checkpoint, ScheduleParsing) {
  EXPECT_EQ(CheckpointSchedule::parse("").epochs, 0);
  EXPECT_EQ(CheckpointSchedule::parse("0").epochs, 0);
  EXPECT_EQ(CheckpointSchedule::parse("2").epochs, 2);
  EXPECT_EQ(CheckpointSchedule::parse("500b").batches, 500);
  EXPECT_EQ(CheckpointSchedule::parse("500b").epochs, 0);
  for (const char* bad : {"b", "-1", "2e", "1.5", "99999999999", "x"})
    EXPECT_THROW(CheckpointSchedule::parse(bad), InputError) << bad;
}

TEST(Rng, StateRoundTripContinuesTheStream) {
  Rng a(42);
  a.normal();  // leaves the Box-Muller spare pending
  Rng b(0);
  b.set_state(a.state());
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(a.normal(), b.normal());
    EXPECT_EQ(a.next_u64(), b.next_u64());
  }
  EXPECT_THROW(b.set_state("12 nonsense"), InputError);
  EXPECT_THROW(b.set_state(""), InputError);
}

}  // namespace
}  // namespace aekit
