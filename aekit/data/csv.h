#pragma once
// Numeric CSV/TSV tables: one sample per line, one feature per cell, all cells numbers.
// Handles a UTF-8 byte order mark, CRLF line ends, blank lines (skipped), spaces around cells,
// double-quoted cells, and an optional header line.
#include <aekit/core/tensor.h>
#include <aekit/data/column_selection.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aekit {

enum class HeaderMode {
  Auto,  // the first line is a header when one of its cells is text above a number
  Yes,
  No,
};

struct CsvOptions {
  // 0: detect from the first line (the most frequent of ',', '\t', ';'; runs of spaces when none
  // occurs), and a '.tsv' file name means tab. ' ' means cells separated by runs of blanks, as
  // numpy.savetxt writes them.
  char delimiter = 0;
  HeaderMode header = HeaderMode::Auto;
  // Which columns are features and which holds labels (column_selection.h); by default every
  // column is a feature.
  ColumnSelection columns;
};

// From the command line's words: delimiter "auto", "tab", "space" or one character (",", ";",
// "|"...); header "auto", "yes" or "no"; the columns as parse_column_selection takes them.
// InputError naming the flag otherwise.
CsvOptions parse_csv_options(const std::string& delimiter, const std::string& header,
                             const std::string& label_column = "", const std::string& columns = "",
                             const std::string& drop_columns = "");

// A table read with its column options applied.
struct CsvTable {
  Tensor x;                        // rows x the selected feature columns, in their order
  Tensor labels;                   // one per row with a label column, else empty
  std::vector<std::string> names;  // the features' header cells; empty without a header line
  std::string label_name;          // the label column's header cell; empty without a header line
  // Text labels (a first label cell that is not a number): label k stands for label_names[k],
  // numbered in order of appearance. Empty when the labels are numbers.
  std::vector<std::string> label_names;
};

// Errors name the file and line: "x.csv:3: expected 4 cells, found 3", "x.csv:5: cell 2 'abc' is
// not a number (column 'name'; --drop-columns name leaves it out ...)", "x.csv:7: cell 1 is NaN",
// empty file, no data rows, and the column options' errors.
CsvTable parse_csv_table(std::string_view text, const std::string& name, const CsvOptions& options = {});
CsvTable read_csv_table(const std::string& path, const CsvOptions& options = {});

// Only the features of read_csv_table.
Tensor read_csv(const std::string& path, const CsvOptions& options = {});

// The same on text in memory; `name` stands for the file in messages.
Tensor parse_csv(std::string_view text, const std::string& name, const CsvOptions& options = {});

// The column names of the header line (unquoted, trimmed), or nothing when the file has no
// header by the rules read_csv applies; lets a verb find a column by name.
std::vector<std::string> read_csv_header(const std::string& path, const CsvOptions& options = {});

}  // namespace aekit
