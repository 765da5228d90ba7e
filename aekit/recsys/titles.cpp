#include <aekit/recsys/titles.h>

#include <aekit/core/error.h>
#include <aekit/data/cache_dir.h>
#include <aekit/data/detail/read_bytes.h>
#include <aekit/recsys/text_lines.h>

#include <charconv>
#include <vector>

namespace aekit {

namespace {

// Splits a CSV line on commas outside double quotes and unquotes the cells ("" is a quote).
std::vector<std::string> csv_cells(std::string_view line) {
  std::vector<std::string> cells(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '"') {
      if (quoted && i + 1 < line.size() && line[i + 1] == '"') {
        cells.back() += '"';
        ++i;
      } else {
        quoted = !quoted;
      }
    } else if (c == ',' && !quoted) {
      cells.emplace_back();
    } else {
      cells.back() += c;
    }
  }
  return cells;
}

bool parse_id(std::string_view s, int64_t& id) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
  return !s.empty() && ec == std::errc() && end == s.data() + s.size();
}

}  // namespace

std::map<int64_t, std::string> parse_titles(std::string_view text, const std::string& source) {
  std::map<int64_t, std::string> titles;
  for_each_line(text, [&](int64_t line_no, std::string_view line) {
    if (line.empty()) return;
    if (line_no == 1 && line.find("imdb_id") != std::string_view::npos)
      fail(source, ": this is movies_metadata.csv, which keys movies by TMDB id, not by the MovieLens "
           "movieId of the ratings; give u.item, movies.dat or movies.csv");
    // The separator is whatever follows the leading id: "::" (movies.dat), '|' (u.item) or ','
    // (movies.csv, whose genres column is itself '|'-separated, so a '|' elsewhere says nothing).
    const size_t after_id = line.find_first_not_of("0123456789");
    const std::string_view rest = after_id == std::string_view::npos ? std::string_view{} : line.substr(after_id);
    std::vector<std::string> cells;
    if (rest.starts_with("::")) {
      for (size_t start = 0;;) {
        const size_t at = line.find("::", start);
        cells.emplace_back(line.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
        if (at == std::string_view::npos) break;
        start = at + 2;
      }
    } else if (rest.starts_with('|')) {
      for (size_t start = 0;;) {
        const size_t at = line.find('|', start);
        cells.emplace_back(line.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
        if (at == std::string_view::npos) break;
        start = at + 1;
      }
    } else {
      cells = csv_cells(line);
    }
    int64_t id = 0;
    if (cells.size() < 2 || !parse_id(cells[0], id)) {
      if (line_no == 1) return;  // a header
      fail(source, ":", line_no, ": expected id and title, found '", line.substr(0, 60), "'");
    }
    titles[id] = cells[1];
  });
  if (titles.empty()) fail(source, ": no titles");
  return titles;
}

std::string resolve_titles_path(const std::string& spec) {
  return spec == "movielens-small" ? cached_dataset_file(spec, "movies.csv") : spec;
}

std::map<int64_t, std::string> read_titles(const std::string& spec) {
  const std::string path = resolve_titles_path(spec);
  return parse_titles(data_detail::read_text_file(path), path);
}

}  // namespace aekit
