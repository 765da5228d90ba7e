// Rating files in every supported layout, each bad-input case with its file and line, the id map,
// the CSR matrix, and the --holdout split against numpy's own permutation.
#include <aekit/core/csr_matrix.h>
#include <aekit/core/error.h>
#include <aekit/recsys/id_map.h>
#include <aekit/recsys/rating_file.h>
#include <aekit/recsys/rating_split.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>

namespace aekit {
namespace {

void expect_error(const std::string& text, const std::string& message, const RatingRange& range = {}) {
  try {
    parse_ratings(text, "r.csv", range);
    ADD_FAILURE() << "no error for: " << text;
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
  }
}

TEST(RatingFile, ReadsEveryMovieLensLayout) {
  for (const char* text : {"196\t242\t3\t881250949\n186\t302\t3\t891717742\n",  // u.data
                           "196::242::3::978300760\n186::302::3::978302109\n",  // ratings.dat
                           "userId,movieId,rating,timestamp\r\n196,242,3.0,1\r\n186,302,3,2\r\n",  // ratings.csv
                           "\xEF\xBB\xBF" "196;242;3\n\n186;302;3\n",             // generic, BOM, blank line
                           "196 242  3\n186 302 3\n"}) {
    const auto r = parse_ratings(text, "r");
    ASSERT_EQ(r.size(), 2u) << text;
    EXPECT_EQ(r[0].user, 196);
    EXPECT_EQ(r[0].item, 242);
    EXPECT_EQ(r[0].value, 3.0f);
    EXPECT_EQ(r[1].user, 186);
    EXPECT_EQ(r[1].item, 302);
  }
  EXPECT_EQ(parse_ratings("userId,movieId,rating\n1,2,0.5\n", "r")[0].line, 2);
}

TEST(RatingFile, EveryBadInputNamesFileAndLine) {
  expect_error("", "r.csv: no ratings");
  expect_error("userId,movieId,rating,timestamp\n", "r.csv: no ratings");
  expect_error("1,2,3\nx1,2,3\n", "r.csv:2: user id 'x1' is not an integer");
  expect_error("1,2,3\n1,2.5,3\n", "r.csv:2: item id '2.5' is not an integer");
  expect_error("1,2,3\n1,3,good\n", "r.csv:2: rating 'good' is not a number");
  expect_error("1,2,3\n1,3,nan\n", "r.csv:2: rating 'nan' is not a number");
  expect_error("1,2,3\n1,3,3,4\n", "r.csv:2: expected 3 cells like the first line, found 4");
  expect_error("1,2\n", "r.csv:1: expected user, item, rating[, timestamp], found 2 cells");
  expect_error("1,2,3\n3,4,5\n1,2,4\n1,2,5\n", "r.csv:3: user 1 rated item 2 again (first on line 1)");
  expect_error("1,2,3\n1,3,6\n", "r.csv:2: rating 6 is outside the rating range 1:5", parse_rating_range("1:5"));
  expect_error("1,2,0.5\n", "r.csv:1: rating 0.5 is outside", parse_rating_range("1:5"));
  expect_error("1,2,3,yesterday\n", "r.csv:1: timestamp 'yesterday' is not a number");
  EXPECT_THROW(parse_rating_range("5:1"), InputError);
  EXPECT_THROW(parse_rating_range("1-5"), InputError);
  EXPECT_NO_THROW(parse_ratings("1,2,5\n", "r", parse_rating_range("1:5")));
}

TEST(IdMap, MapsAndRoundTripsThroughJson) {
  const IdMap map = IdMap::from_ids({31, 1029, 31, 7});
  ASSERT_EQ(map.size(), 3);
  EXPECT_EQ(map.find(7), 0);
  EXPECT_EQ(map.find(1029), 2);
  EXPECT_EQ(map.find(8), -1);
  EXPECT_EQ(map.id(1), 31);
  const IdMap back = IdMap::from_json(nlohmann::json::parse(map.to_json().dump()), "m", "item");
  EXPECT_EQ(back.ids(), map.ids());
  EXPECT_THROW(IdMap::from_json(nlohmann::json::parse("[3, 2]"), "m", "item"), InputError);
  EXPECT_THROW(IdMap::from_json(nlohmann::json::parse("[1, \"a\"]"), "m", "item"), InputError);
  EXPECT_THROW(IdMap::from_json(nlohmann::json::parse("{}"), "m", "item"), InputError);
}

// find is a table look-up for dense ids and a binary search for sparse ones: both give each id's
// index and -1 for any other value, at the ends of int64_t too, built from ids or read back.
TEST(IdMap, FindsTheSameThroughTheTableAndTheSearch) {
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min(), kMax = std::numeric_limits<int64_t>::max();
  const std::vector<int64_t> dense{-3, -1, 0, 2, 5, 6, 10};  // span 13: a table
  const std::vector<int64_t> sparse{kMin, -1000000000000000, 1, 1000, 1000000000000, kMax};
  for (const std::vector<int64_t>& ids : {dense, sparse, std::vector<int64_t>{kMin}, std::vector<int64_t>{kMax}}) {
    for (const IdMap& map : {IdMap::from_ids(ids), IdMap::from_json(nlohmann::json(ids), "m", "user")}) {
      std::vector<int64_t> probes{kMin, kMin + 1, kMax, kMax - 1, -4, 11, 1001, -1000000000000000 + 1};
      for (int64_t v = -5; v <= 12; ++v) probes.push_back(v);
      probes.insert(probes.end(), ids.begin(), ids.end());
      for (const int64_t id : probes) {
        const auto at = std::find(ids.begin(), ids.end(), id);
        EXPECT_EQ(map.find(id), at == ids.end() ? -1 : at - ids.begin()) << id;
      }
    }
  }
}

TEST(CsrMatrix, BuildsLooksUpAndTransposes) {
  const CsrMatrix m = CsrMatrix::from_entries(3, 4, {{2, 1, 5.0f}, {0, 3, 1.0f}, {0, 0, 2.0f}});
  EXPECT_EQ(m.rows(), 3);
  EXPECT_EQ(m.nnz(), 3);
  EXPECT_EQ(m.row_nnz(0), 2);
  EXPECT_EQ(m.row_nnz(1), 0);
  EXPECT_EQ(m.row_cols(0)[0], 0);
  EXPECT_EQ(m.row_cols(0)[1], 3);
  EXPECT_EQ(m.at(2, 1), 5.0f);
  EXPECT_EQ(m.at(1, 1, -1.0f), -1.0f);
  const CsrMatrix t = m.transpose();
  EXPECT_EQ(t.rows(), 4);
  EXPECT_EQ(t.cols(), 3);
  EXPECT_EQ(t.at(1, 2), 5.0f);
  EXPECT_EQ(t.at(3, 0), 1.0f);
  EXPECT_THROW(CsrMatrix::from_entries(2, 2, {{0, 0, 1.0f}, {0, 0, 2.0f}}), InternalError);
}

// from_rows takes the arrays as they are, and refuses arrays that are not a CSR matrix.
TEST(CsrMatrix, FromRowsEqualsFromEntriesAndRefusesBrokenArrays) {
  const CsrMatrix rows = CsrMatrix::from_rows(4, {0, 2, 2, 3}, {1, 3, 0}, {5.0f, 2.0f, 1.0f});
  const CsrMatrix entries = CsrMatrix::from_entries(3, 4, {{2, 0, 1.0f}, {0, 3, 2.0f}, {0, 1, 5.0f}});
  EXPECT_EQ(rows.row_ptr(), entries.row_ptr());
  EXPECT_EQ(rows.col_idx(), entries.col_idx());
  EXPECT_EQ(rows.values(), entries.values());
  EXPECT_EQ(rows.cols(), 4);
  EXPECT_THROW(CsrMatrix::from_rows(4, {0, 2}, {3, 1}, {1.0f, 2.0f}), InternalError);  // descending
  EXPECT_THROW(CsrMatrix::from_rows(4, {0, 2}, {1, 1}, {1.0f, 2.0f}), InternalError);  // repeated
  EXPECT_THROW(CsrMatrix::from_rows(4, {0, 1}, {4}, {1.0f}), InternalError);           // out of range
  EXPECT_THROW(CsrMatrix::from_rows(4, {0, 2}, {1}, {1.0f}), InternalError);           // short
  EXPECT_THROW(CsrMatrix::from_rows(4, {0, 2, 1, 2}, {1, 2}, {1.0f, 2.0f}), InternalError);  // backwards
  EXPECT_THROW(CsrMatrix::from_rows(4, {}, {}, {}), InternalError);
}

TEST(RatingSplit, PermutationIsNumpys) {
  std::ifstream in(std::string(AEKIT_SOURCE_DIR) + "/tests/fixtures/recsys/numpy_permutation.json");
  ASSERT_TRUE(in) << "missing fixture; run scripts/make-recsys-fixtures.py";
  const auto fixture = nlohmann::json::parse(in);
  for (const auto& c : fixture["cases"]) {
    const auto p = numpy_permutation(c["n"].get<int64_t>(), c["seed"].get<uint32_t>());
    const auto head = c["head"].get<std::vector<int64_t>>();
    const auto tail = c["tail"].get<std::vector<int64_t>>();
    for (size_t i = 0; i < head.size(); ++i) EXPECT_EQ(p[i], head[i]) << "n " << c["n"] << " index " << i;
    for (size_t i = 0; i < tail.size(); ++i) EXPECT_EQ(p[p.size() - tail.size() + i], tail[i]);
  }
}

TEST(RatingSplit, HoldoutTakesTheFirstShareOfThePermutation) {
  std::vector<Rating> all;
  for (int64_t k = 0; k < 10; ++k) all.push_back({k, k, 1.0f, k + 1});
  const RatingSplit s = holdout_split(all, 0.1, 0);
  ASSERT_EQ(s.train.size(), 9u);  // int(10 * 0.9)
  ASSERT_EQ(s.test.size(), 1u);
  const auto p = numpy_permutation(10, 0);
  EXPECT_EQ(s.train[0].user, p[0]);
  EXPECT_EQ(s.test[0].user, p[9]);
  EXPECT_THROW(holdout_split(all, 1.0, 0), InputError);
  EXPECT_THROW(holdout_split(all, 0.99, 0), InputError);  // no training rating left
  EXPECT_THROW(holdout_split(all, 1e-17, 0), InputError);  // no test rating left
}

}  // namespace
}  // namespace aekit
