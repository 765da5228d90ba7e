#pragma once
// Rating files: one (user, item, rating[, timestamp]) per line, ids as integers.
//   MovieLens u.data        user<TAB>item<TAB>rating<TAB>timestamp
//   MovieLens ratings.dat   user::item::rating::timestamp
//   MovieLens ratings.csv   userId,movieId,rating,timestamp with a header line (ml-latest,
//                           ratings_small.csv)
//   generic                 user,item,rating[,timestamp], separated by ',', ';', tab or blanks
// The separator is taken from the first data line; a first line whose first cell is not a number
// is a header. Blank lines are skipped; CRLF and a UTF-8 byte order mark are accepted.
// Bad input is an InputError naming file and line: an id that is not an integer, a rating that is
// not a number or lies outside the declared range, a repeated (user, item), a line with a
// different number of cells than the first, an empty file.
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace aekit {

struct Rating {
  int64_t user;  // external ids, as written in the file
  int64_t item;
  float value;
  int64_t line;  // 1-based line in the file, for messages
};

// The ratings a file may hold; from --rating-range LOW:HIGH. Unbounded when not declared.
struct RatingRange {
  float low = -std::numeric_limits<float>::infinity();
  float high = std::numeric_limits<float>::infinity();
  bool declared() const { return low > -std::numeric_limits<float>::infinity(); }
};

// "LOW:HIGH" (e.g. "1:5", "0.5:5"), "auto" or "" for unbounded; InputError otherwise.
RatingRange parse_rating_range(const std::string& text);

// Parses rating lines from memory; `source` names the file in messages.
std::vector<Rating> parse_ratings(std::string_view text, const std::string& source,
                                  const RatingRange& range = {});

// One person's ratings for fold-in: "item,rating" lines (any separator the rating files allow,
// an optional header). The user field of each Rating is 0.
std::vector<Rating> parse_item_ratings(std::string_view text, const std::string& source,
                                       const RatingRange& range = {});

// The ratings of `spec`: a path, or the name movielens-small (ratings_small.csv in the data
// cache that scripts/fetch-data fills).
std::vector<Rating> read_ratings(const std::string& spec, const RatingRange& range = {});

// The file a rating spec names (resolving movielens-small), with a hint when it is missing.
std::string resolve_ratings_path(const std::string& spec);

}  // namespace aekit
