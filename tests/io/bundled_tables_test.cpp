// scikit-learn's small tables by name (data/bundled_tables.h), read from Debian's python3-sklearn,
// and the messages when the files are missing or not what they should be.
#include <aekit/core/error.h>
#include <aekit/data/bundled_tables.h>
#include <aekit/data/dataset.h>

#include <gmock/gmock.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace aekit {
namespace {

using ::testing::HasSubstr;

TEST(BundledTables, EachNameLoadsItsFeaturesAndClasses) {
  struct Expected {
    const char* name;
    int64_t rows, features, classes;
  };
  for (const Expected& e : {Expected{"digits", 1797, 64, 10}, Expected{"iris", 150, 4, 3},
                            Expected{"wine", 178, 13, 3}, Expected{"breast-cancer", 569, 30, 2}}) {
    const Dataset d = load_dataset(e.name);
    EXPECT_EQ(d.x.shape(), (Shape{e.rows, e.features})) << e.name;
    ASSERT_EQ(d.labels.size(), e.rows) << e.name;
    float highest = 0;
    for (int64_t i = 0; i < d.labels.size(); ++i) highest = std::max(highest, d.labels.data()[i]);
    EXPECT_EQ(highest, static_cast<float>(e.classes - 1)) << e.name;
    EXPECT_EQ(d.image_height, 0) << e.name << " loads as a table";
    EXPECT_EQ(d.source, e.name);
  }
  // The first digit of sklearn's file: 0,0,5,13,9,1,0,0,... of class 0.
  const Dataset digits = load_dataset("digits");
  EXPECT_EQ(digits.x.row(0)[2], 5.0f);
  EXPECT_EQ(digits.x.row(0)[3], 13.0f);
  EXPECT_EQ(digits.labels.data()[0], 0.0f);
  EXPECT_FALSE(load_bundled_table("mnist"));
}

TEST(BundledTables, EveryFifthRowIsTheTestSplit) {
  const Dataset all = load_dataset("digits"), train = load_dataset("digits:train"), test = load_dataset("digits:test");
  ASSERT_EQ(test.x.rows(), 359);
  ASSERT_EQ(train.x.rows(), 1438);
  EXPECT_EQ(test.x.row(0)[10], all.x.row(4)[10]);
  EXPECT_EQ(test.labels.data()[1], all.labels.data()[9]);
  EXPECT_EQ(train.x.row(4)[20], all.x.row(5)[20]);
  EXPECT_EQ(test.source, "digits:test");
  EXPECT_THROW(load_dataset("wine:valid"), InputError);
}

class BundledTablesElsewhere : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("aekit-sklearn-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    setenv("AEKIT_SKLEARN_DATA", dir_.c_str(), 1);
  }
  void TearDown() override {
    unsetenv("AEKIT_SKLEARN_DATA");
    std::filesystem::remove_all(dir_);
  }
  std::string error_of(const std::string& name) {
    try {
      load_dataset(name);
    } catch (const InputError& e) {
      return e.what();
    }
    return "(no error)";
  }
  std::filesystem::path dir_;
};

TEST_F(BundledTablesElsewhere, MissingOrDamagedFilesSayWhat) {
  EXPECT_THAT(error_of("wine"), HasSubstr("wine_data.csv not found; it comes with Debian's python3-sklearn"));
  std::ofstream(dir_ / "iris.csv") << "150,4,setosa,versicolor,virginica\n5.1,3.5,1.4,0.2,0\n";
  EXPECT_THAT(error_of("iris"), HasSubstr("expected 150 rows of 4 features and a class, found 1 x 5"));
  std::ofstream(dir_ / "digits.csv.gz") << "not gzip";
  EXPECT_THAT(error_of("digits"), HasSubstr("digits.csv.gz"));
  // Each name says which of the files it missed.
  EXPECT_THAT(error_of("breast-cancer"), HasSubstr("breast_cancer.csv not found"));
}

}  // namespace
}  // namespace aekit
