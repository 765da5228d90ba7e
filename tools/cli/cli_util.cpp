#include "cli_util.h"

#include <aekit/core/error.h>
#include <aekit/data/atomic_file.h>
#include <aekit/data/npy.h>

#include <filesystem>
#include <iomanip>

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

void write_matrix(const std::string& path, const Tensor& m) {
  const std::string ext = std::filesystem::path(path).extension().string();
  if (ext == ".npy") {
    write_npy(path, m);
    return;
  }
  if (ext != ".csv" && ext != ".tsv" && ext != ".txt")
    fail(path, ": unknown output format '", ext, "' (use .npy, .csv or .tsv)");
  const char sep = ext == ".tsv" ? '\t' : ',';
  write_file_atomically(path, [&](std::ostream& out) {
    out << std::setprecision(9);
    for (int64_t r = 0; r < m.rows(); ++r) {
      const float* row = m.row(r);
      for (int64_t c = 0; c < m.cols(); ++c) out << (c ? std::string(1, sep) : "") << row[c];
      out << '\n';
    }
  });
}

}  // namespace aekit::cli

namespace aekit::cli {

std::shared_ptr<CsvFlags> add_csv_flags(CLI::App* command) {
  auto flags = std::make_shared<CsvFlags>();
  command->add_option("--delimiter", flags->delimiter, "CSV cell separator: auto, tab, space or one character [auto]");
  command->add_option("--header", flags->header, "CSV header line: auto, yes, no [auto]");
  command->add_option("--label-column", flags->label_column,
                      "CSV column of labels, left out of the features (0-based, -1 = last)");
  return flags;
}

Dataset load_for_model(const TrainedModel& model, const std::string& spec, const std::string& model_path,
                       const CsvOptions& csv) {
  Dataset data = load_dataset(spec, csv);
  prepare_for_model(model, data, model_path);
  return data;
}

void prepare_for_model(const TrainedModel& model, Dataset& data, const std::string& model_path) {
  if (data.x.cols() != model.network->input_size()) {
    const Shape& input = model.network->spec().input_shape;
    const std::string images = data.image_height > 0 ? " (" + std::to_string(data.image_height) + "x" +
                                                           std::to_string(data.image_width) + " images)"
                                                     : "";
    fail(data.source, " has ", data.x.cols(), " features", images, " but the model ", model_path, " expects ",
         model.network->input_size(), input.size() == 3 ? " (" + sample_shape_text(input) + " images)" : "");
  }
  model.preprocessor.apply(data.x);
}

}  // namespace aekit::cli
