#include <aekit/recsys/rating_file.h>

#include <aekit/core/error.h>
#include <aekit/data/cache_dir.h>
#include <aekit/data/detail/read_bytes.h>
#include <aekit/recsys/text_lines.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numeric>

namespace aekit {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '"')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '"' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// The separator of a data line: "::" (ratings.dat), else tab, ',' or ';', else runs of blanks.
std::string detect_separator(std::string_view line) {
  if (line.find("::") != std::string_view::npos) return "::";
  for (const char* sep : {"\t", ",", ";"})
    if (line.find(sep) != std::string_view::npos) return sep;
  return " ";
}

void split(std::string_view line, const std::string& sep, std::vector<std::string_view>& cells) {
  cells.clear();
  if (sep == " ") {
    size_t pos = 0;
    while (pos < line.size()) {
      while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) ++pos;
      if (pos == line.size()) break;
      size_t end = pos;
      while (end < line.size() && line[end] != ' ' && line[end] != '\t') ++end;
      cells.push_back(line.substr(pos, end - pos));
      pos = end;
    }
    return;
  }
  size_t start = 0;
  for (size_t at; (at = line.find(sep, start)) != std::string_view::npos; start = at + sep.size())
    cells.push_back(trim(line.substr(start, at - start)));
  cells.push_back(trim(line.substr(start)));
}

bool parse_int(std::string_view cell, int64_t& value) {
  cell = trim(cell);
  auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
  return !cell.empty() && ec == std::errc() && end == cell.data() + cell.size();
}

bool parse_float(std::string_view cell, float& value) {
  cell = trim(cell);
  auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
  return !cell.empty() && ec == std::errc() && end == cell.data() + cell.size();
}

// The first repeated (user, item): the pair whose second occurrence comes earliest in the file.
void reject_duplicates(const std::vector<Rating>& ratings, const std::string& source) {
  std::vector<size_t> order(ratings.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const Rating &x = ratings[a], &y = ratings[b];
    return x.user != y.user ? x.user < y.user : x.item != y.item ? x.item < y.item : x.line < y.line;
  });
  const Rating* first = nullptr;
  const Rating* again = nullptr;
  for (size_t k = 1; k < order.size(); ++k) {
    const Rating &prev = ratings[order[k - 1]], &cur = ratings[order[k]];
    if (prev.user == cur.user && prev.item == cur.item && (!again || cur.line < again->line)) {
      again = &cur;
      first = &prev;
      while (k + 1 < order.size() && ratings[order[k + 1]].user == cur.user &&
             ratings[order[k + 1]].item == cur.item)
        ++k;  // later repeats of the same pair come after `again`
    }
  }
  if (again)
    fail(source, ":", again->line, ": user ", again->user, " rated item ", again->item,
         " again (first on line ", first->line, ")");
}

}  // namespace

RatingRange parse_rating_range(const std::string& text) {
  RatingRange range;
  if (text.empty() || text == "auto") return range;
  const size_t colon = text.find(':');
  if (colon == std::string::npos || !parse_float(std::string_view(text).substr(0, colon), range.low) ||
      !parse_float(std::string_view(text).substr(colon + 1), range.high) || !std::isfinite(range.low) ||
      !std::isfinite(range.high) || !(range.low < range.high))
    fail("--rating-range: '", text, "' is not LOW:HIGH with LOW < HIGH (e.g. 1:5 or 0.5:5)");
  return range;
}

namespace {

// `with_user`: lines are user,item,rating[,timestamp]; otherwise item,rating[,timestamp].
std::vector<Rating> parse_lines(std::string_view text, const std::string& source, const RatingRange& range,
                                bool with_user) {
  const size_t min_cells = with_user ? 3 : 2;
  const char* layout = with_user ? "user, item, rating[, timestamp]" : "item, rating[, timestamp]";
  std::vector<Rating> ratings;
  std::vector<std::string_view> cells;
  std::string sep;
  size_t columns = 0;
  for_each_line(text, [&](int64_t line_no, std::string_view line) {
    if (trim(line).empty()) return;
    if (sep.empty()) {
      sep = detect_separator(line);
      split(line, sep, cells);
      int64_t id;
      if (ratings.empty() && line_no == 1 && !cells.empty() && !parse_int(cells[0], id)) {
        columns = cells.size();  // a header: it fixes the column count
        if (columns < min_cells || columns > min_cells + 1)
          fail(source, ":1: header has ", columns, " columns; expected ", layout);
        sep.clear();  // detect the separator again on the first data line
        return;
      }
    }
    split(line, sep, cells);
    if (columns == 0) {
      columns = cells.size();
      if (columns < min_cells || columns > min_cells + 1)
        fail(source, ":", line_no, ": expected ", layout, ", found ", cells.size(), " cells");
    }
    if (cells.size() != columns)
      fail(source, ":", line_no, ": expected ", columns, " cells like the first line, found ", cells.size());
    Rating r{0, 0, 0.0f, line_no};
    const size_t item_cell = with_user ? 1 : 0, rating_cell = item_cell + 1;
    if (with_user && !parse_int(cells[0], r.user))
      fail(source, ":", line_no, ": user id '", trim(cells[0]), "' is not an integer");
    if (!parse_int(cells[item_cell], r.item))
      fail(source, ":", line_no, ": item id '", trim(cells[item_cell]), "' is not an integer");
    if (!parse_float(cells[rating_cell], r.value) || !std::isfinite(r.value))
      fail(source, ":", line_no, ": rating '", trim(cells[rating_cell]), "' is not a number");
    if (r.value < range.low || r.value > range.high)
      fail(source, ":", line_no, ": rating ", r.value, " is outside the rating range ", range.low, ":",
           range.high, " (--rating-range)");
    if (columns == min_cells + 1) {
      int64_t timestamp;
      float fractional;
      if (!parse_int(cells[min_cells], timestamp) && !parse_float(cells[min_cells], fractional))
        fail(source, ":", line_no, ": timestamp '", trim(cells[min_cells]), "' is not a number");
    }
    ratings.push_back(r);
  });
  if (ratings.empty()) fail(source, ": no ratings (the file is empty or holds only a header)");
  reject_duplicates(ratings, source);
  return ratings;
}

}  // namespace

std::vector<Rating> parse_ratings(std::string_view text, const std::string& source, const RatingRange& range) {
  return parse_lines(text, source, range, true);
}

std::vector<Rating> parse_item_ratings(std::string_view text, const std::string& source, const RatingRange& range) {
  return parse_lines(text, source, range, false);
}

std::string resolve_ratings_path(const std::string& spec) {
  return spec == "movielens-small" ? cached_dataset_file(spec, "ratings_small.csv") : spec;
}

std::vector<Rating> read_ratings(const std::string& spec, const RatingRange& range) {
  const std::string path = resolve_ratings_path(spec);
  return parse_ratings(data_detail::read_text_file(path), path, range);
}

}  // namespace aekit
