// --columns, --drop-columns and --label-column by name or number (data/column_selection.h), text
// labels as classes, header detection beside text columns, and the model's feature-name check
// (models/feature_names.h).
#include <aekit/core/error.h>
#include <aekit/data/csv.h>
#include <aekit/data/dataset.h>
#include <aekit/models/feature_names.h>

#include <gmock/gmock.h>

namespace aekit {
namespace {

using ::testing::HasSubstr;

const char* kPeople = "id,name,a,b,class\n1,bob,1,2,x\n2,ann,3,4,y\n3,cid,5,6,x\n";

CsvTable read(const std::string& text, const std::string& label, const std::string& keep = "",
              const std::string& drop = "") {
  return parse_csv_table(text, "t.csv", parse_csv_options("auto", "auto", label, keep, drop));
}

std::string error_of(const std::string& text, const std::string& label, const std::string& keep = "",
                     const std::string& drop = "") {
  try {
    read(text, label, keep, drop);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

std::vector<float> values(const Tensor& t) { return {t.span().begin(), t.span().end()}; }

TEST(DataColumns, DroppedTextColumnsAndATextLabel) {
  const CsvTable t = read(kPeople, "class", "", "id,name");
  EXPECT_EQ(t.x.shape(), (Shape{3, 2}));
  EXPECT_EQ(values(t.x), (std::vector<float>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(t.names, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(values(t.labels), (std::vector<float>{0, 1, 0}));
  EXPECT_EQ(t.label_names, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(t.label_name, "class");
}

TEST(DataColumns, ColumnsChooseAndOrderTheFeatures) {
  const CsvTable t = read(kPeople, "-1", "b,a");
  EXPECT_EQ(t.names, (std::vector<std::string>{"b", "a"}));
  EXPECT_EQ(values(t.x), (std::vector<float>{2, 1, 4, 3, 6, 5}));
  const CsvTable by_number = read(kPeople, "", "3,0");
  EXPECT_EQ(by_number.names, (std::vector<std::string>{"b", "id"}));
  EXPECT_TRUE(by_number.labels.empty());
}

TEST(DataColumns, ErrorsSayWhichColumnAndWhatToDo) {
  EXPECT_THAT(error_of(kPeople, "class"),
              HasSubstr("t.csv:2: cell 2 'bob' is not a number (column 'name'; --drop-columns name leaves it out"));
  EXPECT_THAT(error_of(kPeople, "kind", "", "id,name"),
              HasSubstr("t.csv: --label-column 'kind': no such column (the columns: id, name, a, b, class)"));
  EXPECT_THAT(error_of("1,2,3\n4,5,6\n", "class"), HasSubstr("names a column, but the table has no header line"));
  EXPECT_THAT(error_of(kPeople, "class", "a", "a"), HasSubstr("column 'a' is in both --columns and --drop-columns"));
  EXPECT_THAT(error_of(kPeople, "a", "a,b"), HasSubstr("column 'a' is the --label-column"));
  EXPECT_THAT(error_of(kPeople, "class", "a,a"), HasSubstr("--columns names column 'a' twice"));
  EXPECT_THAT(error_of(kPeople, "", "", "id,name,a,b,class"), HasSubstr("leave no feature column"));
  EXPECT_THAT(error_of(kPeople, "9"), HasSubstr("--label-column 9 is out of range (the table has 5 columns, 0 to 4)"));
  EXPECT_THAT(error_of("a\n1\n", "a"), HasSubstr("needs at least two columns"));
}

TEST(DataColumns, HeaderlessTableWithTextLabelsKeepsItsFirstRow) {
  // Text in the first line above text in the second is a text column, not a header.
  const CsvTable t = read("5.1,3.5,setosa\n4.9,3.0,setosa\n6.3,2.9,virginica\n", "-1");
  EXPECT_EQ(t.x.rows(), 3);
  EXPECT_TRUE(t.names.empty());
  EXPECT_EQ(t.label_names, (std::vector<std::string>{"setosa", "virginica"}));
  // A header above numbers is still found.
  EXPECT_EQ(read("w,h,kind\n5.1,3.5,setosa\n", "kind").names, (std::vector<std::string>{"w", "h"}));
}

Dataset with_names(std::vector<std::string> names) {
  Dataset d;
  d.source = "new.csv";
  d.feature_names = std::move(names);
  return d;
}

std::string mismatch(const std::vector<std::string>& expected, const std::vector<std::string>& found) {
  try {
    check_feature_names(expected, with_names(found), "the model m.aek");
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(FeatureNames, SameNamesInTheSameOrderOnly) {
  EXPECT_EQ(mismatch({"a", "b", "c"}, {"a", "b", "c"}), "(no error)");
  EXPECT_EQ(mismatch({"a", "b", "c"}, {}), "(no error)") << "no header: checked by width only";
  EXPECT_EQ(mismatch({}, {"a"}), "(no error)") << "a model from a headerless table";
  EXPECT_THAT(mismatch({"a", "b", "c"}, {"a", "c", "b"}),
              HasSubstr("new.csv: its columns are in another order than those of the model m.aek: feature 1 is 'c' "
                        "where the model m.aek has 'b' (--columns a,b,c reorders them)"));
  EXPECT_THAT(mismatch({"a", "b", "c"}, {"a", "b", "c", "id"}),
              HasSubstr("it has id besides (--drop-columns or --label-column leaves them out)"));
  EXPECT_THAT(mismatch({"a", "b", "c"}, {"a", "b"}), HasSubstr("it lacks c"));
  EXPECT_THAT(mismatch({"a", "b"}, {"a", "a", "b"}), HasSubstr("has 3 feature columns but the model m.aek has 2"));
}

}  // namespace
}  // namespace aekit
