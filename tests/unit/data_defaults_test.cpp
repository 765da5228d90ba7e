// Defaults that follow the data (train/data_defaults.h): the architecture rule, and which options
// it leaves alone (those the user named, images, layer models, library callers).
#include <aekit/train/data_defaults.h>

#include <gtest/gtest.h>

namespace aekit {
namespace {

Dataset table(int64_t features, int64_t rows = 10) {
  Dataset d;
  d.x = Tensor({rows, features});
  d.source = "table";
  return d;
}

TrainOptions from_the_command_line(std::set<std::string> named = {}) {
  TrainOptions o;
  o.given = std::move(named);
  return o;
}

TEST(DataDefaults, SizesFollowTheFeatureCount) {
  using V = std::vector<int64_t>;
  EXPECT_EQ(tabular_default_sizes(784), (V{784, 128, 64}));  // the seeds' MNIST model, unchanged
  EXPECT_EQ(tabular_default_sizes(3072), (V{3072, 128, 64}));
  EXPECT_EQ(tabular_default_sizes(64), (V{64, 32, 16}));     // digits
  EXPECT_EQ(tabular_default_sizes(30), (V{30, 15, 8}));      // breast cancer
  EXPECT_EQ(tabular_default_sizes(13), (V{13, 7, 3}));       // wine
  EXPECT_EQ(tabular_default_sizes(4), (V{4, 2, 1}));         // iris
  EXPECT_EQ(tabular_default_sizes(1), (V{1, 2, 1}));
  for (int64_t f = 1; f < 2000; ++f) {
    const V s = tabular_default_sizes(f);
    ASSERT_LT(s[2], s[1]) << f;
    ASSERT_GE(s[2], 1) << f;
    if (f >= 4) {
      ASSERT_LT(s[2], f) << "the code is narrower than the input, " << f;
    }
  }
}

TEST(DataDefaults, TabularDataGetsReluHiddenLinearCodeAndAnOutputForThePreprocessing) {
  TrainOptions o = from_the_command_line();
  const std::string note = fit_defaults_to_data(o, table(64));
  EXPECT_EQ(o.model.encoder, (std::vector<int64_t>{64, 32, 16}));
  EXPECT_EQ(o.model.activation, "relu");
  EXPECT_EQ(o.model.code_activation, "identity");
  EXPECT_EQ(o.model.output_activation, "sigmoid");  // auto = minmax for tables: targets in [0,1]
  EXPECT_NE(note.find("tabular data with 64 features: 64-32-16, relu hidden, identity code, sigmoid output "
                      "(targets in [0,1] after minmax)"),
            std::string::npos)
      << note;

  TrainOptions z = from_the_command_line({"preprocess"});
  z.preprocess = "zscore";
  fit_defaults_to_data(z, table(64));
  EXPECT_EQ(z.model.output_activation, "identity");

  TrainOptions b = from_the_command_line({"loss", "preprocess"});
  b.loss = "bce";
  b.preprocess = "none";
  fit_defaults_to_data(b, table(64));
  EXPECT_EQ(b.model.output_activation, "sigmoid");
}

TEST(DataDefaults, SmallTablesTrainLongEnough) {
  TrainOptions digits = from_the_command_line();
  const std::string note = fit_defaults_to_data(digits, table(64, 1797));
  EXPECT_EQ(digits.train.batch_size, 32);
  EXPECT_EQ(digits.train.epochs, 54);  // 56 updates an epoch: about 3000 in all
  EXPECT_NE(note.find(", batch 32, 54 epochs"), std::string::npos) << note;

  TrainOptions large = from_the_command_line();
  fit_defaults_to_data(large, table(784, 60000));
  EXPECT_EQ(large.train.batch_size, 256);
  EXPECT_EQ(large.train.epochs, 13);

  TrainOptions tiny = from_the_command_line();
  fit_defaults_to_data(tiny, table(4, 150));
  EXPECT_EQ(tiny.train.batch_size, 16);
  EXPECT_EQ(tiny.train.epochs, 334);

  TrainOptions named = from_the_command_line({"epochs"});
  named.train.epochs = 3;
  fit_defaults_to_data(named, table(64, 1797));
  EXPECT_EQ(named.train.epochs, 3);
  EXPECT_EQ(named.train.batch_size, 256) << "a named --epochs keeps the batch size too";
}

TEST(DataDefaults, NamedOptionsAreKept) {
  TrainOptions o = from_the_command_line({"arch", "activation"});
  o.model.encoder = {64, 40, 2};
  o.model.activation = "tanh";
  fit_defaults_to_data(o, table(64));
  EXPECT_EQ(o.model.encoder, (std::vector<int64_t>{64, 40, 2}));
  EXPECT_EQ(o.model.activation, "tanh");
  EXPECT_EQ(o.model.code_activation, "") << "the code follows a named --activation";
  EXPECT_EQ(o.model.output_activation, "sigmoid");

  TrainOptions rbm = from_the_command_line({"pretrain"});
  rbm.pretrain = "rbm";
  fit_defaults_to_data(rbm, table(64));
  EXPECT_EQ(rbm.model.activation, "sigmoid") << "an RBM's hidden units are Bernoulli";
  EXPECT_EQ(rbm.model.code_activation, "");

  // A penalty on the code needs the hidden activation there (a KL target is a mean activation).
  TrainOptions s = from_the_command_line({"sparsity"});
  fit_defaults_to_data(s, table(64));
  EXPECT_EQ(s.model.code_activation, "");
}

TEST(DataDefaults, ImagesLayerModelsAndLibraryCallersKeepTheLiteralDefaults) {
  const TrainOptions literal;
  TrainOptions library;  // given = nullopt
  EXPECT_EQ(fit_defaults_to_data(library, table(64)), "");
  EXPECT_EQ(library.model.activation, literal.model.activation);

  Dataset images = table(64);
  images.image_height = 8;
  images.image_width = 8;
  TrainOptions o = from_the_command_line();
  EXPECT_EQ(fit_defaults_to_data(o, images), "");
  EXPECT_EQ(o.model.activation, "sigmoid");

  TrainOptions layers = from_the_command_line({"encoder-layers", "decoder-layers"});
  layers.encoder_layers = "dense(out=8)";
  EXPECT_EQ(fit_defaults_to_data(layers, table(64)), "");
}

}  // namespace
}  // namespace aekit
