#pragma once
// Small helpers shared by the verbs: option registration from the options table, output paths
// and matrix files chosen by extension.
#include <aekit/core/tensor.h>
#include <aekit/options/train_options.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace aekit::cli {

// Registers every option of the train table on `command`; returns the raw texts they fill.
// apply_train_options() then sets, in table order, each option from the command line or else
// from the config file's values.
std::shared_ptr<std::map<std::string, std::string>> add_train_table(CLI::App& command);
void apply_train_options(CLI::App& command, const std::map<std::string, std::string>& given,
                         const std::map<std::string, std::string>& config, TrainOptions& options);

// Fails early (before minutes of work) when `path` cannot be written (its directory is missing)
// or is one of `inputs` under any name (train --data in.csv --out in.csv once replaced the data).
// `-` (standard output) is refused here: it is for tables only (check_table_output).
void check_output_path(const std::string& path, const std::string& flag, const std::vector<std::string>& inputs = {});
// check_output_path for a matrix output (write_matrix), which may also be `-`.
void check_table_output(const std::string& path, const std::string& flag, const std::vector<std::string>& inputs = {});
// Where a verb says what it wrote: stderr when its output goes to standard output, stdout otherwise.
FILE* status_stream(const std::string& out);

// What a CSV/TSV output carries beside the matrix (a .npy file holds the numbers only).
struct TableColumns {
  std::vector<std::string> names;    // a header line, one name per column ("" : no header)
  const Tensor* labels = nullptr;    // one per row, written as a last column
  std::vector<std::string> label_names;  // text classes: label k is written as label_names[k]
  std::string label_name = "label";  // the label column's header
};

// Writes a matrix as .npy (float32) or .csv/.tsv by the path's extension, atomically; `-` writes
// CSV to standard output.
void write_matrix(const std::string& path, const Tensor& m, const TableColumns& columns = {});

// `prefix`0, `prefix`1, ... for a matrix without names.
std::vector<std::string> numbered_names(const std::string& prefix, int64_t count);

}  // namespace aekit::cli

#include <aekit/data/dataset.h>
#include <aekit/models/trained_model.h>

namespace aekit::cli {

// --delimiter, --header, --label-column, --columns and --drop-columns for the verbs that read data;
// call csv() after parsing.
struct CsvFlags {
  std::string delimiter = "auto", header = "auto", label_column, columns, drop_columns;
  CsvOptions csv() const { return parse_csv_options(delimiter, header, label_column, columns, drop_columns); }
};
std::shared_ptr<CsvFlags> add_csv_flags(CLI::App* command);

// Loads `spec`, checks it has the model's input size and applies the model's preprocessing.
// With Uint8Data::AsBytes, uint8 data stays in Dataset::bytes, not yet preprocessed: read it
// through PreprocessedRows(*data.bytes, model.preprocessor), which gives the same floats.
Dataset load_for_model(const TrainedModel& model, const std::string& spec, const std::string& model_path,
                       const CsvOptions& csv = {}, Uint8Data uint8 = Uint8Data::AsFloats);
// The checks and preprocessing of load_for_model on data already loaded (bytes are left as they are).
void prepare_for_model(const TrainedModel& model, Dataset& data, const std::string& model_path);

// The header of an output in the data's units: the model's feature names, else feature_0, ...
std::vector<std::string> output_feature_names(const TrainedModel& model);

// The table columns of an output of one row per sample of `data`: `names`, and its labels.
TableColumns table_columns(std::vector<std::string> names, const Dataset& data);

}  // namespace aekit::cli
