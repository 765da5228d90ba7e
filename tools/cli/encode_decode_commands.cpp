// aekit encode / decode: between data and codes. Decoded values are given back in the data's
// own units (the model's preprocessing inverted).
#include "cli_util.h"
#include "commands.h"

#include <aekit/core/error.h>
#include <aekit/core/threads.h>

#include <algorithm>
#include <cstdio>

namespace aekit::cli {

namespace {
struct IoArgs {
  std::string model, data, out;
  int threads = 0;
  std::shared_ptr<CsvFlags> csv;
};

std::shared_ptr<IoArgs> add_io_args(CLI::App* cmd, const char* data_help, const char* out_help) {
  auto args = std::make_shared<IoArgs>();
  cmd->add_option("model", args->model, "model file")->required();
  cmd->add_option("--data", args->data, data_help)->required();
  cmd->add_option("--out", args->out, out_help)->required();
  cmd->add_option("--threads", args->threads, "threads (0 = all cores)");
  args->csv = add_csv_flags(cmd);
  return args;
}
}  // namespace

void add_encode_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("encode", "write the codes of a dataset");
  auto args = add_io_args(cmd, "dataset: mnist:test, file.npy, file.csv, ... (- for stdin)", "codes file (.npy, .csv, .tsv; - for CSV on stdout)");
  cmd->callback([args] {
    set_num_threads(args->threads);
    check_table_output(args->out, "--out", {args->data, args->model});
    TrainedModel model = load_trained_model(args->model);
    Dataset data = load_for_model(model, args->data, args->model, args->csv->csv());
    const Tensor codes = model.network->encode(data.x.view());
    write_matrix(args->out, codes, table_columns(numbered_names("code_", codes.cols()), data));
    std::fprintf(status_stream(args->out), "%lld codes of %lld values written to %s\n", static_cast<long long>(codes.rows()),
                static_cast<long long>(codes.cols()), args->out.c_str());
  });
}

void add_decode_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand("decode", "turn codes back into data");
  auto args = add_io_args(cmd, "codes (.npy, .csv, .tsv; - for stdin), one per row", "output file (.npy, .csv, .tsv; - for CSV on stdout)");
  cmd->callback([args] {
    set_num_threads(args->threads);
    check_table_output(args->out, "--out", {args->data, args->model});
    TrainedModel model = load_trained_model(args->model);
    CsvOptions csv = args->csv->csv();
    // encode's CSV output names its codes code_0... beside a label column: read just those.
    const std::vector<std::string> code_names = numbered_names("code_", model.network->code_size());
    if (!csv.columns.selects_anything() && is_table_path(args->data)) {
      const std::vector<std::string> header = read_csv_header(args->data, csv);
      if (std::all_of(code_names.begin(), code_names.end(), [&](const std::string& name) {
            return std::find(header.begin(), header.end(), name) != header.end();
          }))
        csv.columns.keep = code_names;
    }
    Tensor codes = load_matrix(args->data, csv);
    if (codes.ndim() != 2 || codes.cols() != model.network->code_size())
      fail(args->data, ": codes have shape ", shape_string(codes.shape()), " but the model's code has ",
           model.network->code_size(), " values per row");
    Tensor decoded = model.network->decode(codes.view());
    model.preprocessor.invert(decoded);
    TableColumns columns;
    columns.names = output_feature_names(model);
    write_matrix(args->out, decoded, columns);
    std::fprintf(status_stream(args->out), "%lld rows decoded to %s\n", static_cast<long long>(decoded.rows()), args->out.c_str());
  });
}

}  // namespace aekit::cli
