#include <aekit/data/csv.h>

#include <aekit/core/checked_size.h>
#include <aekit/core/error.h>
#include <aekit/data/detail/read_bytes.h>
#include <aekit/data/label_column.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <vector>

namespace aekit {

namespace {

// ' ' stands for "runs of spaces or tabs" (numpy.savetxt's layout).
constexpr char kBlanks = ' ';

bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

// Splits `line` into cells. Delimiters inside double quotes do not split, so a header such as
// "id","name, first" keeps its shape; the quotes stay on the cell and are stripped when parsing.
void split_cells(std::string_view line, char delimiter, std::vector<std::string_view>& cells) {
  cells.clear();
  if (delimiter == kBlanks) {
    line = trim(line);
    size_t pos = 0;
    while (pos < line.size()) {
      size_t end = pos;
      while (end < line.size() && !is_blank(line[end])) ++end;
      cells.push_back(line.substr(pos, end - pos));
      pos = end;
      while (pos < line.size() && is_blank(line[pos])) ++pos;
    }
    return;
  }
  size_t start = 0;
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '"') quoted = !quoted;
    else if (line[i] == delimiter && !quoted) {
      cells.push_back(line.substr(start, i - start));
      start = i + 1;
    }
  }
  cells.push_back(line.substr(start));
}

enum class CellStatus { Ok, Empty, NotANumber, OutOfRange, NaN, Infinite };

CellStatus parse_cell(std::string_view cell, float& value) {
  cell = trim(cell);
  if (cell.size() >= 2 && cell.front() == '"' && cell.back() == '"') cell = trim(cell.substr(1, cell.size() - 2));
  if (cell.empty()) return CellStatus::Empty;
  // from_chars takes no leading '+', which spreadsheets write.
  if (cell.front() == '+' && cell.size() > 1 && cell[1] != '-') cell.remove_prefix(1);
  auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
  if (end != cell.data() + cell.size()) return CellStatus::NotANumber;
  if (ec == std::errc::result_out_of_range) return CellStatus::OutOfRange;
  if (ec != std::errc()) return CellStatus::NotANumber;
  if (std::isnan(value)) return CellStatus::NaN;
  if (std::isinf(value)) return CellStatus::Infinite;
  return CellStatus::Ok;
}

std::string quoted_excerpt(std::string_view cell) {
  cell = trim(cell);
  constexpr size_t kMax = 40;
  if (cell.size() > kMax) return "'" + std::string(cell.substr(0, kMax)) + "...'";
  return "'" + std::string(cell) + "'";
}

[[noreturn]] void cell_error(const std::string& where, size_t index, std::string_view cell, CellStatus status) {
  const size_t n = index + 1;  // cells are numbered from 1, like lines
  switch (status) {
    case CellStatus::Empty: fail(where, ": cell ", n, " is empty");
    case CellStatus::NaN: fail(where, ": cell ", n, " is NaN (non-finite values are not allowed in data)");
    case CellStatus::Infinite: fail(where, ": cell ", n, " is infinite (non-finite values are not allowed in data)");
    case CellStatus::OutOfRange: fail(where, ": cell ", n, " ", quoted_excerpt(cell), " is out of the float range");
    default: fail(where, ": cell ", n, " ", quoted_excerpt(cell), " is not a number");
  }
}

// Counts `c` outside double quotes.
size_t count_unquoted(std::string_view line, char c) {
  size_t count = 0;
  bool quoted = false;
  for (char ch : line) {
    if (ch == '"') quoted = !quoted;
    else if (ch == c && !quoted) ++count;
  }
  return count;
}

char detect_delimiter(std::string_view first_line) {
  char best = ',';
  size_t best_count = 0;
  for (char c : {',', '\t', ';'}) {
    size_t n = count_unquoted(first_line, c);
    if (n > best_count) best = c, best_count = n;
  }
  if (best_count == 0 && trim(first_line).find_first_of(" \t") != std::string_view::npos) return kBlanks;
  return best;
}

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Iterates the lines of a text, numbering them from 1, without the line end ("\n" or "\r\n").
class Lines {
 public:
  explicit Lines(std::string_view text) : text_(text) {}
  bool next(std::string_view& line) {
    if (pos_ >= text_.size()) return false;
    const char* begin = text_.data() + pos_;
    const void* nl = std::memchr(begin, '\n', text_.size() - pos_);
    size_t len = nl ? static_cast<size_t>(static_cast<const char*>(nl) - begin) : text_.size() - pos_;
    line = std::string_view(begin, len);
    pos_ += len + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ++number_;
    return true;
  }
  size_t number() const { return number_; }

 private:
  std::string_view text_;
  size_t pos_ = 0;
  size_t number_ = 0;
};

// The first non-blank line, its delimiter, its cells and whether it is a header.
struct FirstLine {
  std::string_view line;
  char delimiter;
  std::vector<std::string_view> cells;
  bool header;
};

FirstLine read_first_line(Lines& lines, const std::string& name, const CsvOptions& options) {
  FirstLine first;
  while (lines.next(first.line) && trim(first.line).empty()) {
  }
  if (trim(first.line).empty()) fail(name, ": empty file (no lines with data)");
  first.delimiter = options.delimiter;
  if (first.delimiter == 0) first.delimiter = ends_with(name, ".tsv") ? '\t' : detect_delimiter(first.line);
  split_cells(first.line, first.delimiter, first.cells);
  first.header = options.header == HeaderMode::Yes;
  if (options.header == HeaderMode::Auto) {
    float ignored;
    for (std::string_view cell : first.cells) {
      CellStatus s = parse_cell(cell, ignored);
      first.header |= s == CellStatus::NotANumber || s == CellStatus::Empty;
    }
  }
  return first;
}

std::string_view strip_bom(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // UTF-8 byte order mark
  return text;
}

}  // namespace

std::vector<std::string> read_csv_header(const std::string& path, const CsvOptions& options) {
  const std::string text = data_detail::read_text_file(path);
  Lines lines(strip_bom(text));
  const FirstLine first = read_first_line(lines, path, options);
  std::vector<std::string> names;
  if (!first.header) return names;
  for (std::string_view cell : first.cells) {
    cell = trim(cell);
    if (cell.size() >= 2 && cell.front() == '"' && cell.back() == '"') cell = trim(cell.substr(1, cell.size() - 2));
    names.emplace_back(cell);
  }
  return names;
}

Tensor parse_csv(std::string_view text, const std::string& name, const CsvOptions& options) {
  Lines lines(strip_bom(text));
  FirstLine first = read_first_line(lines, name, options);
  std::string_view line = first.line;
  const char delimiter = first.delimiter;
  std::vector<std::string_view> cells = std::move(first.cells);
  const size_t columns = cells.size();
  const bool header = first.header;

  std::vector<float> values;
  // Lines x columns bounds the size, so a 180 MB MNIST table is never regrown and copied. Every
  // value takes at least one character and a separator, so half the text bounds it too: without
  // that, a long first line over many short lines (a 1.2 MB file) once asked for 400 GB.
  const uint64_t lines_bound = static_cast<uint64_t>(std::count(text.begin(), text.end(), '\n')) + 1;
  values.reserve(static_cast<size_t>(
      std::min(checked_mul(lines_bound, columns).value_or(kMaxSize), text.size() / 2 + 1)));
  size_t rows = 0;
  bool have_line = !header;
  while (have_line || lines.next(line)) {
    have_line = false;
    if (trim(line).empty()) continue;
    split_cells(line, delimiter, cells);
    if (cells.size() != columns)
      fail(name, ":", lines.number(), ": expected ", columns, " cells, found ", cells.size());
    for (size_t i = 0; i < columns; ++i) {
      float v;
      CellStatus s = parse_cell(cells[i], v);
      if (s != CellStatus::Ok) cell_error(name + ":" + std::to_string(lines.number()), i, cells[i], s);
      values.push_back(v);
    }
    ++rows;
  }
  if (rows == 0) fail(name, ": no data rows (only a header line)");

  Tensor t;
  t.resize({static_cast<int64_t>(rows), static_cast<int64_t>(columns)});
  std::memcpy(t.data(), values.data(), values.size() * sizeof(float));
  return t;
}

Tensor read_csv(const std::string& path, const CsvOptions& options) {
  return parse_csv(data_detail::read_text_file(path), path, options);
}

CsvOptions parse_csv_options(const std::string& delimiter, const std::string& header,
                             const std::string& label_column) {
  CsvOptions options;
  options.label_column = parse_label_column(label_column);
  if (delimiter == "tab" || delimiter == "\\t") options.delimiter = '\t';
  else if (delimiter == "space") options.delimiter = ' ';
  else if (delimiter.size() == 1 && delimiter != "\"" && delimiter != "\n" && delimiter != "\r") options.delimiter = delimiter[0];
  else if (delimiter != "auto" && !delimiter.empty())
    fail("--delimiter '", delimiter, "': use auto, tab, space or a single character such as ';'");
  if (header == "yes") options.header = HeaderMode::Yes;
  else if (header == "no") options.header = HeaderMode::No;
  else if (header != "auto" && !header.empty()) fail("--header '", header, "': use auto, yes or no");
  return options;
}

}  // namespace aekit
