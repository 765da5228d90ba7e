#pragma once
// Item titles for recommendations: MovieLens u.item (id|title|...), movies.dat (id::title::genres)
// and movies.csv (movieId,title,genres with a header, quoted titles). Kaggle's
// movies_metadata.csv keys movies by TMDB id, not by the MovieLens movieId the ratings use, so
// it is refused with that explanation rather than printing wrong titles. `movielens-small` names
// the cached movies.csv that scripts/fetch-data writes for ratings_small.csv.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace aekit {

std::map<int64_t, std::string> parse_titles(std::string_view text, const std::string& source);
// A path, or `movielens-small` for the cached titles file.
std::string resolve_titles_path(const std::string& spec);
std::map<int64_t, std::string> read_titles(const std::string& spec);

}  // namespace aekit
