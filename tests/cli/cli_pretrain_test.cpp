// Greedy pretraining from the command line: --pretrain rbm|ae|dae trains each dense layer before
// fine-tuning and says so, one line a layer; the model file records it; networks an RBM cannot
// pretrain are refused with one line and exit code 2, before any training.
#include "cli_runner.h"

#include <aekit/io/model_file.h>

#include <gmock/gmock.h>
#include <nlohmann/json.hpp>

namespace aekit::test {
namespace {

using ::testing::HasSubstr;

TEST(CliPretrain, EachMethodPretrainsEveryLayer) {
  ScratchDir dir;
  write_uniform_csv(dir / "data.csv", 200, 10, 4);
  for (const char* method : {"rbm", "ae", "dae"}) {
    auto train = run_aekit(dir, std::string("train --data data.csv --arch 10-8-3 --code-activation identity --pretrain ") +
                                    method + " --pretrain-epochs 2 --cd-k 2 --pretrain-batch-size 20 --epochs 1 --out m.aek");
    ASSERT_EQ(train.exit_code, 0) << method << ": " << train.err;
    EXPECT_THAT(train.err, HasSubstr("pretrained layer 1 (10-8"));
    EXPECT_THAT(train.err, HasSubstr("pretrained layer 2 (8-3"));
    const auto meta = load_model(dir / "m.aek").metadata;
    const auto training = nlohmann::json::parse(meta.at("training"));
    EXPECT_EQ(training["pretraining"]["method"], method);
    EXPECT_EQ(training["pretraining"]["layers"].size(), 2u);
  }
  // The linear code layer is a Gaussian-hidden RBM.
  auto rbm = run_aekit(dir, "train --data data.csv --arch 10-8-3 --code-activation identity --pretrain rbm --epochs 1 --out m.aek");
  EXPECT_THAT(rbm.err, HasSubstr("bernoulli-gaussian"));
}

TEST(CliPretrain, RefusesWhatItCannotPretrain) {
  ScratchDir dir;
  write_uniform_csv(dir / "data.csv", 50, 10, 4);
  auto relu = run_aekit(dir, "train --data data.csv --arch 10-4 --activation relu --pretrain rbm --out m.aek");
  EXPECT_EQ(relu.exit_code, 2);
  EXPECT_THAT(relu.err, HasSubstr("--pretrain ae or dae"));
  EXPECT_FALSE(std::filesystem::exists(dir / "m.aek"));
  auto typo = run_aekit(dir, "train --data data.csv --arch 10-4 --pretrain boltzmann --out m.aek");
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_THAT(typo.err, HasSubstr("valid: none, rbm, ae, dae"));
  auto cd = run_aekit(dir, "train --data data.csv --arch 10-4 --pretrain rbm --cd-k 0 --out m.aek");
  EXPECT_EQ(cd.exit_code, 2);
}

}  // namespace
}  // namespace aekit::test
