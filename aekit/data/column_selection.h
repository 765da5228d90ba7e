#pragma once
// Which columns of a table are features, in which order, and which one holds labels:
// --columns, --drop-columns and --label-column. A column is named by its header cell, or counted
// from 0 (negative from the end: -1 is the last); a name needs a header line. Columns that are not
// selected are never parsed, so a text column (a name, an id) is simply dropped.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace aekit {

struct ColumnSelection {
  std::vector<std::string> keep;  // --columns: only these, in this order (empty: every column)
  std::vector<std::string> drop;  // --drop-columns: every column but these
  std::string label;              // --label-column: "" for none

  bool selects_anything() const { return !keep.empty() || !drop.empty() || !label.empty(); }
};

// From the flags' texts: comma-separated lists, "" or "none" for nothing. InputError naming the
// flag on an empty item.
ColumnSelection parse_column_selection(const std::string& columns, const std::string& drop_columns,
                                       const std::string& label_column);

struct ResolvedColumns {
  std::vector<size_t> features;  // the table's column indices, in the order they become features
  std::optional<size_t> label;
};

// Resolves `selection` against a table of `count` columns with header `names` (empty when the
// table has none). InputError naming `source` and the flag for an unknown name, a name without a
// header, an index out of range, a column both kept and dropped or used as the label, and a
// selection that leaves no feature.
ResolvedColumns resolve_columns(const ColumnSelection& selection, const std::vector<std::string>& names,
                                size_t count, const std::string& source);

// How a message names column `index`: 'name' (with a header) or its number from 0.
std::string column_label(const std::vector<std::string>& names, size_t index);

}  // namespace aekit
