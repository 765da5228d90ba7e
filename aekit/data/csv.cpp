#include <aekit/data/csv.h>

#include <aekit/core/checked_size.h>
#include <aekit/core/error.h>
#include <aekit/data/column_selection.h>
#include <aekit/data/detail/read_bytes.h>
#include <aekit/data/standard_input.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <map>
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

// A cell without its blanks and surrounding double quotes.
std::string_view unquote(std::string_view cell) {
  cell = trim(cell);
  if (cell.size() >= 2 && cell.front() == '"' && cell.back() == '"') cell = trim(cell.substr(1, cell.size() - 2));
  return cell;
}

// Text labels beyond this many classes are more likely a text feature than classes.
constexpr size_t kMaxTextClasses = 1000;

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
  // Appended piece by piece: "'" + std::string(...) trips GCC 12's -Wrestrict false positive.
  std::string text = "'";
  text.append(cell.substr(0, kMax));
  text += cell.size() > kMax ? "...'" : "'";
  return text;
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
    // A header has a text cell above a number. Text in the same column of the next line too
    // means a text column (a name, a class), not a header.
    Lines peek = lines;
    std::string_view second;
    while (peek.next(second) && trim(second).empty()) {
    }
    std::vector<std::string_view> below;
    if (!trim(second).empty()) split_cells(second, first.delimiter, below);
    float ignored;
    for (size_t i = 0; i < first.cells.size(); ++i) {
      const CellStatus s = parse_cell(first.cells[i], ignored);
      const bool text = s == CellStatus::NotANumber || s == CellStatus::Empty;
      const bool number_below = i >= below.size() || parse_cell(below[i], ignored) == CellStatus::Ok;
      first.header |= text && number_below;
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
  const FirstLine first = read_first_line(lines, input_display_name(path), options);
  std::vector<std::string> names;
  if (!first.header) return names;
  for (std::string_view cell : first.cells) names.emplace_back(unquote(cell));
  return names;
}

CsvTable parse_csv_table(std::string_view text, const std::string& name, const CsvOptions& options) {
  Lines lines(strip_bom(text));
  FirstLine first = read_first_line(lines, name, options);
  std::string_view line = first.line;
  const char delimiter = first.delimiter;
  std::vector<std::string_view> cells = std::move(first.cells);
  const size_t columns = cells.size();
  const bool header = first.header;
  std::vector<std::string> header_names;
  if (header)
    for (std::string_view cell : cells) header_names.emplace_back(unquote(cell));
  const ResolvedColumns selected = resolve_columns(options.columns, header_names, columns, name);
  const size_t features = selected.features.size();

  CsvTable table;
  if (header) {
    for (size_t i : selected.features) table.names.push_back(header_names[i]);
    if (selected.label) table.label_name = header_names[*selected.label];
  }
  std::vector<float> values, labels;
  // Lines x features bounds the size, so a 180 MB MNIST table is never regrown and copied. Every
  // value takes at least one character and a separator, so half the text bounds it too: without
  // that, a long first line over many short lines (a 1.2 MB file) once asked for 400 GB.
  const uint64_t lines_bound = static_cast<uint64_t>(std::count(text.begin(), text.end(), '\n')) + 1;
  values.reserve(static_cast<size_t>(
      std::min(checked_mul(lines_bound, features).value_or(kMaxSize), text.size() / 2 + 1)));
  bool text_labels = false;  // the first label is not a number: every label names a class
  std::map<std::string, float, std::less<>> classes;  // text labels, numbered in order of appearance
  size_t rows = 0;
  bool have_line = !header;
  while (have_line || lines.next(line)) {
    have_line = false;
    if (trim(line).empty()) continue;
    split_cells(line, delimiter, cells);
    if (cells.size() != columns)
      fail(name, ":", lines.number(), ": expected ", columns, " cells, found ", cells.size());
    for (size_t i : selected.features) {
      float v;
      CellStatus s = parse_cell(cells[i], v);
      if (s != CellStatus::Ok) {
        std::string where = name + ":" + std::to_string(lines.number());
        if (s == CellStatus::NotANumber) {
          const std::string flag_value = header ? header_names[i] : std::to_string(i);
          fail(where, ": cell ", i + 1, " ", quoted_excerpt(cells[i]), " is not a number (column ",
               column_label(header_names, i), "; --drop-columns ", flag_value, " leaves it out, or --label-column ",
               flag_value, " if it holds the classes)");
        }
        cell_error(where, i, cells[i], s);
      }
      values.push_back(v);
    }
    if (selected.label) {
      const std::string_view cell = cells[*selected.label];
      float v;
      const CellStatus s = parse_cell(cell, v);
      if (rows == 0) text_labels = s == CellStatus::NotANumber;
      if (text_labels) {
        if (s == CellStatus::Empty) cell_error(name + ":" + std::to_string(lines.number()), *selected.label, cell, s);
        const std::string_view key = unquote(cell);
        auto it = classes.find(key);
        if (it == classes.end()) {
          if (classes.size() >= kMaxTextClasses)
            fail(name, ":", lines.number(), ": more than ", kMaxTextClasses, " different text labels in column ",
                 column_label(header_names, *selected.label));
          it = classes.emplace(std::string(key), static_cast<float>(classes.size())).first;
        }
        v = it->second;
      } else if (s != CellStatus::Ok) {
        cell_error(name + ":" + std::to_string(lines.number()), *selected.label, cell, s);
      }
      labels.push_back(v);
    }
    ++rows;
  }
  if (rows == 0) fail(name, ": no data rows (only a header line)");
  if (text_labels) {
    table.label_names.assign(classes.size(), "");
    for (const auto& [label, index] : classes) table.label_names[static_cast<size_t>(index)] = label;
  }

  table.x.resize({static_cast<int64_t>(rows), static_cast<int64_t>(features)});
  std::memcpy(table.x.data(), values.data(), values.size() * sizeof(float));
  if (selected.label) {
    table.labels.resize({static_cast<int64_t>(rows)});
    std::memcpy(table.labels.data(), labels.data(), labels.size() * sizeof(float));
  }
  return table;
}

Tensor parse_csv(std::string_view text, const std::string& name, const CsvOptions& options) {
  return parse_csv_table(text, name, options).x;
}

CsvTable read_csv_table(const std::string& path, const CsvOptions& options) {
  return parse_csv_table(data_detail::read_text_file(path), input_display_name(path), options);
}

Tensor read_csv(const std::string& path, const CsvOptions& options) {
  return read_csv_table(path, options).x;
}

CsvOptions parse_csv_options(const std::string& delimiter, const std::string& header,
                             const std::string& label_column, const std::string& columns,
                             const std::string& drop_columns) {
  CsvOptions options;
  options.columns = parse_column_selection(columns, drop_columns, label_column);
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
