// Titles files in the three MovieLens layouts, each keyed by the MovieLens movie id.
#include <aekit/core/error.h>
#include <aekit/recsys/titles.h>
#include <gtest/gtest.h>

namespace aekit {
namespace {

// movies.csv's genres are '|'-separated, so a '|' in a line does not make it u.item's layout.
TEST(Titles, ReadsMoviesCsvWhoseGenresHoldBars) {
  const auto titles = parse_titles(
      "movieId,title,genres\n1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy\n"
      "858,\"Godfather, The (1972)\",Crime|Drama\n",
      "movies.csv");
  ASSERT_EQ(titles.size(), 2u);
  EXPECT_EQ(titles.at(1), "Toy Story (1995)");
  EXPECT_EQ(titles.at(858), "Godfather, The (1972)");
}

TEST(Titles, ReadsUItemAndMoviesDat) {
  const auto item = parse_titles("1|Toy Story (1995)|01-Jan-1995||http://x|0|0|1\n2|GoldenEye (1995)|01-Jan-1995\n",
                                 "u.item");
  EXPECT_EQ(item.at(1), "Toy Story (1995)");
  EXPECT_EQ(item.at(2), "GoldenEye (1995)");
  const auto dat = parse_titles("1::Toy Story (1995)::Animation|Children's|Comedy\n", "movies.dat");
  EXPECT_EQ(dat.at(1), "Toy Story (1995)");
}

TEST(Titles, ABadLineNamesFileAndLine) {
  try {
    parse_titles("movieId,title\n1,A\nx,B\n", "movies.csv");
    FAIL() << "accepted a non-numeric id";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("movies.csv:3: expected id and title"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace aekit
