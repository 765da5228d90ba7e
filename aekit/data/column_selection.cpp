#include <aekit/data/column_selection.h>

#include <aekit/core/error.h>
#include <aekit/core/printable.h>

#include <algorithm>
#include <charconv>
#include <set>

namespace aekit {

namespace {

std::vector<std::string> split_list(const std::string& text, const char* flag) {
  std::vector<std::string> items;
  if (text.empty() || text == "none") return items;
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    while (!item.empty() && item.front() == ' ') item.erase(item.begin());
    while (!item.empty() && item.back() == ' ') item.pop_back();
    if (item.empty()) fail(flag, " '", printable(text), "': an empty column name in the list");
    items.push_back(std::move(item));
    if (comma == std::string::npos) return items;
    start = comma + 1;
  }
}

std::optional<int64_t> as_index(const std::string& text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string names_list(const std::vector<std::string>& names) {
  std::string list;
  for (size_t i = 0; i < names.size() && i < 20; ++i) list += (i ? ", " : "") + printable(names[i]);
  if (names.size() > 20) list += ", ...";
  return list;
}

// One column reference of `flag` to an index of the table.
size_t resolve(const std::string& ref, const std::vector<std::string>& names, size_t count,
               const std::string& source, const char* flag) {
  // A header cell that is itself a number ("2017") is found by name first.
  if (auto it = std::find(names.begin(), names.end(), ref); it != names.end())
    return static_cast<size_t>(it - names.begin());
  if (std::optional<int64_t> index = as_index(ref)) {
    const int64_t n = static_cast<int64_t>(count);
    const int64_t i = *index < 0 ? n + *index : *index;
    if (i < 0 || i >= n)
      fail(source, ": ", flag, " ", *index, " is out of range (the table has ", count, " columns, 0 to ", n - 1, ")");
    return static_cast<size_t>(i);
  }
  if (names.empty())
    fail(source, ": ", flag, " '", printable(ref), "' names a column, but the table has no header line "
         "(count columns from 0, or give --header yes)");
  fail(source, ": ", flag, " '", printable(ref), "': no such column (the columns: ", names_list(names), ")");
}

}  // namespace

ColumnSelection parse_column_selection(const std::string& columns, const std::string& drop_columns,
                                       const std::string& label_column) {
  ColumnSelection s;
  s.keep = split_list(columns, "--columns");
  s.drop = split_list(drop_columns, "--drop-columns");
  if (label_column != "none") s.label = label_column;
  if (s.label.find(',') != std::string::npos)
    fail("--label-column '", printable(s.label), "': one column (a name, or a number counted from 0; -1 = the last)");
  return s;
}

ResolvedColumns resolve_columns(const ColumnSelection& selection, const std::vector<std::string>& names,
                                size_t count, const std::string& source) {
  ResolvedColumns r;
  if (!selection.label.empty()) {
    if (count < 2)
      fail(source, ": --label-column needs at least two columns (features and labels), found ", count);
    r.label = resolve(selection.label, names, count, source, "--label-column");
  }
  std::set<size_t> dropped;
  for (const std::string& ref : selection.drop) dropped.insert(resolve(ref, names, count, source, "--drop-columns"));
  if (!selection.keep.empty()) {
    std::set<size_t> seen;
    for (const std::string& ref : selection.keep) {
      const size_t i = resolve(ref, names, count, source, "--columns");
      if (!seen.insert(i).second) fail(source, ": --columns names column ", column_label(names, i), " twice");
      if (dropped.count(i)) fail(source, ": column ", column_label(names, i), " is in both --columns and --drop-columns");
      if (r.label == i) fail(source, ": column ", column_label(names, i), " is the --label-column; it cannot be a feature too");
      r.features.push_back(i);
    }
  } else {
    for (size_t i = 0; i < count; ++i)
      if (!dropped.count(i) && r.label != i) r.features.push_back(i);
  }
  if (r.features.empty()) fail(source, ": the column options leave no feature column");
  return r;
}

std::string column_label(const std::vector<std::string>& names, size_t index) {
  if (index < names.size()) return "'" + printable(names[index]) + "'";
  return std::to_string(index);
}

}  // namespace aekit
