#pragma once
// Numeric CSV/TSV tables: one sample per line, one feature per cell, all cells numbers.
// Handles a UTF-8 byte order mark, CRLF line ends, blank lines (skipped), spaces around cells,
// double-quoted cells, and an optional header line.
#include <aekit/core/tensor.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aekit {

enum class HeaderMode {
  Auto,  // the first line is a header when one of its cells is not a number
  Yes,
  No,
};

struct CsvOptions {
  // 0: detect from the first line (the most frequent of ',', '\t', ';'; runs of spaces when none
  // occurs), and a '.tsv' file name means tab. ' ' means cells separated by runs of blanks, as
  // numpy.savetxt writes them.
  char delimiter = 0;
  HeaderMode header = HeaderMode::Auto;
  // The column holding labels (0-based, negative from the end), taken out of the features by
  // load_dataset (aekit/data/label_column.h); nullopt: every column is a feature.
  std::optional<int64_t> label_column;
};

// From the command line's words: delimiter "auto", "tab", "space" or one character (",", ";",
// "|"...); header "auto", "yes" or "no"; label_column as parse_label_column. InputError naming the
// flag otherwise.
CsvOptions parse_csv_options(const std::string& delimiter, const std::string& header,
                             const std::string& label_column = "");

// Returns rows x columns. Errors name the file and line: "x.csv:3: expected 4 cells, found 3",
// "x.csv:5: cell 2 'abc' is not a number", "x.csv:7: cell 1 is NaN", empty file, no data rows.
Tensor read_csv(const std::string& path, const CsvOptions& options = {});

// The same on text in memory; `name` stands for the file in messages.
Tensor parse_csv(std::string_view text, const std::string& name, const CsvOptions& options = {});

// The column names of the header line (unquoted, trimmed), or nothing when the file has no
// header by the rules read_csv applies; lets a verb find a column by name.
std::vector<std::string> read_csv_header(const std::string& path, const CsvOptions& options = {});

}  // namespace aekit
