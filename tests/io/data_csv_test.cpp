// CSV/TSV reader: the layouts real tables come in, and the errors that must name file and line.
#include <aekit/core/error.h>
#include <aekit/data/csv.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace aekit {
namespace {

using ::testing::HasSubstr;

CsvOptions csv_options(char delimiter, HeaderMode header) {
  CsvOptions options;
  options.delimiter = delimiter;
  options.header = header;
  return options;
}

std::string temp_path(const std::string& name) {
  auto dir = std::filesystem::path(::testing::TempDir()) / ("aekit_data_csv_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

std::string write_text(const std::string& name, const std::string& text) {
  std::string path = temp_path(name);
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

std::string csv_error_of(const std::string& text, const std::string& name = "x.csv", CsvOptions options = {}) {
  try {
    parse_csv(text, name, options);
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no InputError for: " << text;
  return "";
}

void expect_matrix(const Tensor& t, const Shape& shape, std::initializer_list<float> values) {
  ASSERT_EQ(t.shape(), shape);
  int64_t i = 0;
  for (float v : values) EXPECT_FLOAT_EQ(t[i++], v) << "element " << i - 1;
}

TEST(DataCsv, ReadsWithAndWithoutHeader) {
  expect_matrix(read_csv(write_text("h.csv", "a,b,c\n1,2,3\n4,5.5,-6e-1\n")), {2, 3}, {1, 2, 3, 4, 5.5f, -0.6f});
  expect_matrix(read_csv(write_text("n.csv", "1,2,3\n4,5,6")), {2, 3}, {1, 2, 3, 4, 5, 6});
}

TEST(DataCsv, HeaderModesOverrideDetection) {
  expect_matrix(parse_csv("10,20\n1,2\n", "x.csv", csv_options(0, HeaderMode::Yes)), {1, 2}, {1, 2});
  EXPECT_THAT(csv_error_of("a,b\n1,2\n", "x.csv", csv_options(0, HeaderMode::No)), HasSubstr("x.csv:1: cell 1 'a' is not a number"));
}

TEST(DataCsv, TabsFromExtensionOrDetection) {
  expect_matrix(read_csv(write_text("t.tsv", "x\ty\n1\t2\n")), {1, 2}, {1, 2});
  expect_matrix(parse_csv("1\t2\t3\n", "x.txt"), {1, 3}, {1, 2, 3});
  expect_matrix(parse_csv("1;2\n3;4\n", "x.csv"), {2, 2}, {1, 2, 3, 4});
  expect_matrix(parse_csv("1|2\n", "x.csv", csv_options('|', HeaderMode::Auto)), {1, 2}, {1, 2});
}

TEST(DataCsv, BlankSeparatedAsNumpySavetxtWrites) {
  expect_matrix(parse_csv("1.000000000000000000e+00 2.5e+00\n  3 4  \n", "x.txt"), {2, 2}, {1, 2.5f, 3, 4});
}

TEST(DataCsv, HandlesCrlfBomBlankLinesSpacesQuotesAndPlus) {
  expect_matrix(parse_csv("\xEF\xBB\xBF\"id\",\"name, first\"\r\n 1 , +2\r\n\r\n\"3\",4\r\n\r\n\n", "x.csv"), {2, 2},
                {1, 2, 3, 4});
}

TEST(DataCsv, RaggedRow) {
  EXPECT_EQ(csv_error_of("a,b,c,d\n1,2,3,4\n1,2,3\n"), "x.csv:3: expected 4 cells, found 3");
}

TEST(DataCsv, NonNumericCell) {
  EXPECT_EQ(csv_error_of("1,2\n3,4\n5,6\n7,8\n9,abc\n"),
            "x.csv:5: cell 2 'abc' is not a number (column 1; --drop-columns 1 leaves it out, or --label-column 1 if "
            "it holds the classes)");
  EXPECT_THAT(csv_error_of("1,2\n3,4x\n"), HasSubstr("x.csv:2: cell 2 '4x' is not a number"));
  EXPECT_THAT(csv_error_of("1,2\n3,\n"), HasSubstr("x.csv:2: cell 2 is empty"));
  EXPECT_THAT(csv_error_of("1,2\n3,1e999\n"), HasSubstr("x.csv:2: cell 2 '1e999' is out of the float range"));
  const std::string long_cell(50, 'z');  // quoted up to 40 characters, then an ellipsis
  EXPECT_THAT(csv_error_of("1,2\n3," + long_cell + "\n"),
              HasSubstr("x.csv:2: cell 2 '" + std::string(40, 'z') + "...' is not a number"));
}

TEST(DataCsv, NaNAndInfCells) {
  EXPECT_THAT(csv_error_of("1,2\n3,4\n5,6\n7,8\n1,1\n1,1\nnan,1\n"), HasSubstr("x.csv:7: cell 1 is NaN"));
  EXPECT_THAT(csv_error_of("1,2\n3,-inf\n"), HasSubstr("x.csv:2: cell 2 is infinite"));
  EXPECT_THAT(csv_error_of("1,2\n3,Infinity\n"), HasSubstr("x.csv:2: cell 2 is infinite"));
}

TEST(DataCsv, EmptyFileAndHeaderOnly) {
  EXPECT_EQ(csv_error_of(""), "x.csv: empty file (no lines with data)");
  EXPECT_EQ(csv_error_of("\n \r\n"), "x.csv: empty file (no lines with data)");
  EXPECT_EQ(csv_error_of("a,b\n\n"), "x.csv: no data rows (only a header line)");
}

TEST(DataCsv, MissingFile) {
  std::string path = temp_path("absent.csv");
  try {
    read_csv(path);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), path + ": cannot open: No such file or directory");
  }
}

TEST(DataCsv, ErrorsNameTheFile) {
  std::string path = write_text("bad.csv", "1,2\n3\n");
  try {
    read_csv(path);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), path + ":2: expected 2 cells, found 1");
  }
}

}  // namespace
}  // namespace aekit
