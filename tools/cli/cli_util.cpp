#include "cli_util.h"

#include <aekit/core/error.h>
#include <aekit/data/atomic_file.h>
#include <aekit/data/npy.h>
#include <aekit/data/standard_input.h>
#include <aekit/models/feature_names.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iomanip>
#include <sstream>

namespace aekit::cli {

std::shared_ptr<std::map<std::string, std::string>> add_train_table(CLI::App& command) {
  auto given = std::make_shared<std::map<std::string, std::string>>();
  const TrainOptions defaults;
  for (const OptionDef& def : train_option_table()) {
    std::string names = "--" + def.name;
    std::string underscored = def.name;
    std::replace(underscored.begin(), underscored.end(), '-', '_');
    if (underscored != def.name) names += ",--" + underscored;  // config files often use '_'
    std::string help = def.help;
    const std::string default_text = def.get(defaults);
    if (!default_text.empty()) help += " [" + default_text + "]";
    CLI::Option* option = command.add_option(names, (*given)[def.name], help)->type_name(def.value_name);
    option->group(def.group);
    // A bare boolean flag (--nesterov) means true; --nesterov false still works.
    if (def.value_name == "BOOL") option->expected(0, 1);
  }
  return given;
}

void apply_train_options(CLI::App& command, const std::map<std::string, std::string>& given,
                         const std::map<std::string, std::string>& config, TrainOptions& options) {
  options.given.emplace();  // what is not named here may follow the data (train/data_defaults.h)
  for (const OptionDef& def : train_option_table()) {
    if (command.get_option("--" + def.name)->count() > 0) {
      const std::string& value = given.at(def.name);
      def.set(options, value.empty() && def.value_name == "BOOL" ? "true" : value);  // the command line wins
      options.given->insert(def.name);
    } else if (auto it = config.find(def.name); it != config.end()) {
      options.given->insert(def.name);
      try {
        def.set(options, it->second);
      } catch (const InputError& e) {
        fail("in the config file: ", e.what());
      }
    }
  }
}

void check_output_path(const std::string& path, const std::string& flag, const std::vector<std::string>& inputs) {
  namespace fs = std::filesystem;
  if (path.empty()) fail(flag, " needs a file name");
  if (is_standard_stream(path))
    fail(flag, " -: this output is a file; standard output takes only the CSV tables of encode, decode, reconstruct "
         "and generate (--out -)");
  fs::path parent = fs::path(path).parent_path();
  if (parent.empty()) parent = ".";
  std::error_code ec;
  if (!fs::is_directory(parent, ec)) fail(flag, " ", path, ": directory ", parent.string(), " does not exist");
  if (fs::is_directory(path, ec)) fail(flag, " ", path, ": is a directory");
  for (const std::string& input : inputs) {
    // Names such as mnist:train are no files; equivalent() also catches links and ./x vs x.
    if (!input.empty() && fs::exists(path, ec) && fs::exists(input, ec) && fs::equivalent(path, input, ec))
      fail(flag, " ", path, ": is also an input (", input, "); writing it would destroy it");
  }
}

namespace {

// The CSV/TSV text of a matrix with its header and label column.
void write_table_text(std::ostream& out, const Tensor& m, const TableColumns& columns, char sep) {
  AEKIT_ASSERT(columns.names.empty() || static_cast<int64_t>(columns.names.size()) == m.cols(), "one name per column");
  AEKIT_ASSERT(!columns.labels || columns.labels->size() == m.rows(), "one label per row");
  // A cell holding the separator, a quote or a line end is quoted, as spreadsheets expect.
  auto cell = [sep](const std::string& text) {
    if (text.find_first_of(std::string(1, sep) + "\"\r\n") == std::string::npos) return text;
    std::string quoted = "\"";
    for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
  };
  out << std::setprecision(9);
  if (!columns.names.empty()) {
    for (int64_t c = 0; c < m.cols(); ++c) out << (c ? std::string(1, sep) : "") << cell(columns.names[c]);
    if (columns.labels) out << sep << cell(columns.label_name);
    out << '\n';
  }
  for (int64_t r = 0; r < m.rows(); ++r) {
    const float* row = m.row(r);
    for (int64_t c = 0; c < m.cols(); ++c) out << (c ? std::string(1, sep) : "") << row[c];
    if (columns.labels) {
      const float label = columns.labels->data()[r];
      const auto k = static_cast<size_t>(label);
      out << sep;
      if (!columns.label_names.empty() && label >= 0 && k < columns.label_names.size()) out << cell(columns.label_names[k]);
      else out << label;
    }
    out << '\n';
  }
}

}  // namespace

void check_table_output(const std::string& path, const std::string& flag, const std::vector<std::string>& inputs) {
  if (!is_standard_stream(path)) check_output_path(path, flag, inputs);
}

FILE* status_stream(const std::string& out) { return is_standard_stream(out) ? stderr : stdout; }

void write_matrix(const std::string& path, const Tensor& m, const TableColumns& columns) {
  if (is_standard_stream(path)) {
    // Formatted whole first: a failure while formatting leaves standard output untouched.
    std::ostringstream text;
    write_table_text(text, m, columns, ',');
    const std::string bytes = std::move(text).str();
    if (std::fwrite(bytes.data(), 1, bytes.size(), stdout) != bytes.size() || std::fflush(stdout) != 0)
      fail("stdout: write failed: ", std::strerror(errno));
    return;
  }
  const std::string ext = std::filesystem::path(path).extension().string();
  if (ext == ".npy") {
    write_npy(path, m);
    return;
  }
  if (ext != ".csv" && ext != ".tsv" && ext != ".txt")
    fail(path, ": unknown output format '", ext, "' (use .npy, .csv or .tsv, or - for CSV on standard output)");
  write_file_atomically(path, [&](std::ostream& out) { write_table_text(out, m, columns, ext == ".tsv" ? '\t' : ','); });
}

std::vector<std::string> numbered_names(const std::string& prefix, int64_t count) {
  std::vector<std::string> names;
  for (int64_t i = 0; i < count; ++i) names.push_back(prefix + std::to_string(i));
  return names;
}

std::vector<std::string> output_feature_names(const TrainedModel& model) {
  if (!model.feature_names.empty()) return model.feature_names;
  return numbered_names("feature_", model.network->input_size());
}

TableColumns table_columns(std::vector<std::string> names, const Dataset& data) {
  TableColumns columns;
  columns.names = std::move(names);
  if (!data.labels.empty()) {
    columns.labels = &data.labels;
    columns.label_names = data.label_names;
    if (!data.label_name.empty()) columns.label_name = data.label_name;
  }
  return columns;
}

}  // namespace aekit::cli

namespace aekit::cli {

std::shared_ptr<CsvFlags> add_csv_flags(CLI::App* command) {
  auto flags = std::make_shared<CsvFlags>();
  command->add_option("--delimiter", flags->delimiter, "CSV cell separator: auto, tab, space or one character [auto]");
  command->add_option("--header", flags->header, "CSV header line: auto, yes, no [auto]");
  // The same words as train's options table.
  for (const OptionDef& def : train_option_table()) {
    std::string* target = def.name == "label-column" ? &flags->label_column
                          : def.name == "columns"    ? &flags->columns
                          : def.name == "drop-columns" ? &flags->drop_columns
                                                       : nullptr;
    if (target) command->add_option("--" + def.name, *target, def.help)->type_name(def.value_name);
  }
  return flags;
}

Dataset load_for_model(const TrainedModel& model, const std::string& spec, const std::string& model_path,
                       const CsvOptions& csv, Uint8Data uint8) {
  Dataset data = load_dataset(spec, csv, uint8);
  prepare_for_model(model, data, model_path);
  return data;
}

void prepare_for_model(const TrainedModel& model, Dataset& data, const std::string& model_path) {
  check_feature_names(model.feature_names, data, "the model " + model_path);
  if (data.cols() != model.network->input_size()) {
    const Shape& input = model.network->spec().input_shape;
    const std::string images = data.image_height > 0 ? " (" + std::to_string(data.image_height) + "x" +
                                                           std::to_string(data.image_width) + " images)"
                                                     : "";
    fail(data.source, " has ", data.cols(), " features", images, " but the model ", model_path, " expects ",
         model.network->input_size(), input.size() == 3 ? " (" + sample_shape_text(input) + " images)" : "");
  }
  if (!data.bytes) model.preprocessor.apply(data.x);
}

}  // namespace aekit::cli
