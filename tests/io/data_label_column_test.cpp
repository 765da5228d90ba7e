// --label-column: the labels come out of a CSV table and the features are the other columns.
#include <aekit/core/error.h>
#include <aekit/data/csv.h>
#include <aekit/data/dataset.h>
#include <aekit/data/column_selection.h>
#include <aekit/data/npy.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace aekit {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

std::string table_path() {
  const fs::path dir = fs::path(::testing::TempDir()) / ("aekit_label_column_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string path = (dir / "table.csv").string();
  std::ofstream(path) << "a,b,class,c\n1,2,0,3\n4,5,1,6\n7,8,2,9\n";
  return path;
}

std::string label_error_of(const std::string& spec, const CsvOptions& csv) {
  try {
    load_dataset(spec, csv);
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no InputError for " << spec;
  return "";
}

TEST(LabelColumn, ParsesNamesIndexesAndNone) {
  EXPECT_EQ(parse_column_selection("", "", "").label, "");
  EXPECT_EQ(parse_column_selection("", "", "none").label, "");
  EXPECT_EQ(parse_column_selection("", "", "-1").label, "-1");
  EXPECT_EQ(parse_column_selection("", "", "class").label, "class");
  EXPECT_THROW(parse_column_selection("", "", "a,b"), InputError);
  EXPECT_EQ(parse_csv_options("auto", "auto", "3").columns.label, "3");
}

TEST(LabelColumn, MiddleColumnBecomesTheLabels) {
  const Dataset d = load_dataset(table_path(), parse_csv_options("auto", "auto", "2"));
  ASSERT_EQ(d.x.shape(), (Shape{3, 3}));
  ASSERT_EQ(d.labels.shape(), (Shape{3}));
  EXPECT_EQ(std::vector<float>(d.x.span().begin(), d.x.span().end()),
            (std::vector<float>{1, 2, 3, 4, 5, 6, 7, 8, 9}));
  EXPECT_EQ(std::vector<float>(d.labels.span().begin(), d.labels.span().end()), (std::vector<float>{0, 1, 2}));
}

TEST(LabelColumn, NegativeCountsFromTheEnd) {
  const Dataset d = load_dataset(table_path(), parse_csv_options("auto", "auto", "-1"));
  EXPECT_EQ(std::vector<float>(d.labels.span().begin(), d.labels.span().end()), (std::vector<float>{3, 6, 9}));
  EXPECT_EQ(d.x.row(2)[2], 2.0f);
}

TEST(LabelColumn, WithoutItEveryColumnIsAFeature) {
  const Dataset d = load_dataset(table_path());
  EXPECT_EQ(d.x.shape(), (Shape{3, 4}));
  EXPECT_TRUE(d.labels.empty());
}

TEST(LabelColumn, ErrorsNameTheFileAndTheColumn) {
  const std::string path = table_path();
  EXPECT_THAT(label_error_of(path, parse_csv_options("auto", "auto", "4")),
              HasSubstr("table.csv: --label-column 4 is out of range (the table has 4 columns, 0 to 3)"));
  EXPECT_THAT(label_error_of(path, parse_csv_options("auto", "auto", "-5")), HasSubstr("out of range"));
  EXPECT_THAT(label_error_of("mnist:test", parse_csv_options("auto", "auto", "0")), HasSubstr("brings its own labels"));
  const std::string npy = (fs::path(path).parent_path() / "m.npy").string();
  write_npy(npy, Tensor({2, 3}));
  EXPECT_THAT(label_error_of(npy, parse_csv_options("auto", "auto", "0")), HasSubstr("apply to CSV/TSV tables"));
}

TEST(LabelColumn, AOneColumnTableHasNoFeaturesLeft) {
  const fs::path dir = fs::path(::testing::TempDir()) / ("aekit_label_column_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string path = (dir / "one.csv").string();
  std::ofstream(path) << "1\n2\n";
  EXPECT_THAT(label_error_of(path, parse_csv_options("auto", "auto", "0")), HasSubstr("needs at least two columns"));
}

}  // namespace
}  // namespace aekit
