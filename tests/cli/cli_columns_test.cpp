// From a CSV with a header, a text label and text columns to a model and codes, with no Python
// (issue 9, point 3): columns chosen by name, the feature names stored in the model and checked by
// later verbs, and CSV output with a header and the label column.
#include "cli_runner.h"

#include <gmock/gmock.h>
#include <nlohmann/json.hpp>

namespace aekit::test {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// id,name,height,weight,age,species with a text name and species; `swap` writes weight before
// height.
void write_people(const std::string& path, int rows, bool swap = false) {
  Rng rng(5);
  std::ostringstream csv;
  csv << (swap ? "id,name,weight,height,age,species\n" : "id,name,height,weight,age,species\n");
  for (int r = 0; r < rows; ++r) {
    const bool dog = r % 3 == 0;
    const float height = (dog ? 60.0f : 25.0f) + rng.normal(0, 5), weight = (dog ? 30.0f : 4.0f) + rng.normal(0, 2);
    csv << r << ",pet" << r << "," << (swap ? weight : height) << "," << (swap ? height : weight) << ","
        << 1 + r % 12 << "," << (dog ? "dog" : "cat") << "\n";
  }
  write_text(path, csv.str());
}

const std::string kColumns = " --label-column species --drop-columns id,name";

TEST(CliColumns, NamedColumnsFromTrainingToCodes) {
  ScratchDir dir;
  write_people(dir / "people.csv", 90);
  auto train = run_aekit(dir, "train --data people.csv" + kColumns + " --epochs 3 --threads 1 --out m.aek");
  ASSERT_EQ(train.exit_code, 0) << train.err;
  EXPECT_THAT(train.err, HasSubstr("tabular data with 3 features"));
  auto info = run_aekit(dir, "info m.aek --json");
  ASSERT_EQ(info.exit_code, 0) << info.err;
  EXPECT_EQ(nlohmann::json::parse(info.out)["feature_names"], nlohmann::json({"height", "weight", "age"}));
  EXPECT_THAT(run_aekit(dir, "info m.aek").out, HasSubstr("features     height, weight, age\n"));

  auto encode = run_aekit(dir, "encode m.aek --data people.csv" + kColumns + " --out codes.csv");
  ASSERT_EQ(encode.exit_code, 0) << encode.err;
  const std::string codes = slurp(dir / "codes.csv");
  EXPECT_THAT(codes, StartsWith("code_0,species\n"));  // 3 features: a code of 1
  EXPECT_THAT(codes.substr(codes.find('\n') + 1), testing::MatchesRegex("[-0-9.e]+,dog\n(.|\n)*"));
  EXPECT_EQ(count_lines(codes), 91);
  auto decode = run_aekit(dir, "decode m.aek --data codes.csv --out back.csv");
  ASSERT_EQ(decode.exit_code, 0) << decode.err << "\nthe codes' columns are found by name, the label left out";
  auto recon = run_aekit(dir, "reconstruct m.aek --data people.csv" + kColumns + " --out r.csv");
  ASSERT_EQ(recon.exit_code, 0) << recon.err;
  EXPECT_THAT(slurp(dir / "r.csv"), StartsWith("height,weight,age,species\n"));
}

TEST(CliColumns, TheModelRefusesOtherColumns) {
  ScratchDir dir;
  write_people(dir / "people.csv", 60);
  write_people(dir / "swapped.csv", 60, /*swap=*/true);
  ASSERT_EQ(run_aekit(dir, "train --data people.csv" + kColumns + " --epochs 1 --threads 1 --out m.aek").exit_code, 0);

  auto swapped = run_aekit(dir, "encode m.aek --data swapped.csv" + kColumns + " --out codes.csv");
  EXPECT_EQ(swapped.exit_code, 2);
  EXPECT_THAT(swapped.err, HasSubstr("swapped.csv: its columns are in another order than those of the model m.aek: "
                                     "feature 0 is 'weight' where the model m.aek has 'height' (--columns "
                                     "height,weight,age reorders them)"));
  EXPECT_EQ(count_lines(swapped.err), 1);
  EXPECT_FALSE(std::filesystem::exists(dir / "codes.csv"));
  auto reordered = run_aekit(dir, "encode m.aek --data swapped.csv --label-column species --columns height,weight,age "
                                  "--out codes.csv");
  EXPECT_EQ(reordered.exit_code, 0) << reordered.err;

  auto extra = run_aekit(dir, "eval m.aek --data people.csv --label-column species --drop-columns name");
  EXPECT_EQ(extra.exit_code, 2);
  EXPECT_THAT(extra.err, HasSubstr("it has id besides (--drop-columns or --label-column leaves them out)"));

  auto text = run_aekit(dir, "train --data people.csv --label-column species --epochs 1 --out t.aek");
  EXPECT_EQ(text.exit_code, 2);
  EXPECT_THAT(text.err, HasSubstr("cell 2 'pet0' is not a number (column 'name'; --drop-columns name leaves it out"));
  EXPECT_FALSE(std::filesystem::exists(dir / "t.aek"));

  auto test_swapped = run_aekit(dir, "train --data people.csv" + kColumns + " --test swapped.csv --epochs 1 --out u.aek");
  EXPECT_EQ(test_swapped.exit_code, 2);
  EXPECT_THAT(test_swapped.err, HasSubstr("than those of the training data people.csv"));
}

}  // namespace
}  // namespace aekit::test
