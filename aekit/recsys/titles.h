#pragma once
// Item titles for recommendations: MovieLens u.item (id|title|...), movies.dat (id::title::genres)
// and movies.csv (movieId,title,genres with a header, quoted titles). Kaggle's
// movies_metadata.csv keys movies by TMDB id, not by the MovieLens movieId the ratings use, so
// it is refused with that explanation rather than printing wrong titles.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace aekit {

std::map<int64_t, std::string> parse_titles(std::string_view text, const std::string& source);
std::map<int64_t, std::string> read_titles(const std::string& path);

}  // namespace aekit
