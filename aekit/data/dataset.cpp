#include <aekit/data/dataset.h>

#include <aekit/core/error.h>
#include <aekit/data/bundled_tables.h>
#include <aekit/data/csv.h>
#include <aekit/data/idx.h>
#include <aekit/data/npy.h>
#include <aekit/data/standard_input.h>

#include <filesystem>
#include <sstream>

namespace aekit {

namespace fs = std::filesystem;

namespace {

constexpr const char* kNamedSets[] = {"mnist", "fashion-mnist"};
constexpr const char* kKnownNames =
    "mnist, mnist:train, mnist:test, fashion-mnist, fashion-mnist:train, fashion-mnist:test, "
    "digits, iris, wine, breast-cancer (each also NAME:train, NAME:test)";

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Tensor read_by_extension(const std::string& path, const CsvOptions& csv) {
  if (is_standard_stream(path)) {
    if (is_table_path(path)) return read_csv(path, csv);
    std::istringstream in(standard_input_bytes());
    return read_npy(in, "stdin");
  }
  const std::string ext = fs::path(path).extension().string();
  if (ext == ".npy") return read_npy(path);
  if (ext == ".csv" || ext == ".tsv" || ext == ".txt") return read_csv(path, csv);
  if (ext == ".idx" || ext == ".gz" || ends_with(path, "-ubyte")) return read_idx(path);
  fail(path, ": unknown data format '", ext,
       "' (use .npy, .csv, .tsv, .txt, or IDX files named *.idx, *-ubyte or *.gz)");
}

// The values of a .npy or IDX file, uint8 data as bytes when asked; other files as floats.
DataValues read_values_by_extension(const std::string& path, const CsvOptions& csv, Uint8Data uint8) {
  const bool keep_bytes = uint8 == Uint8Data::AsBytes;
  if (!keep_bytes || is_standard_stream(path)) return {read_by_extension(path, csv), std::nullopt};
  const std::string ext = fs::path(path).extension().string();
  if (ext == ".npy") return read_npy_values(path, true);
  if (ext == ".idx" || ext == ".gz" || ends_with(path, "-ubyte")) return read_idx_values(path, true);
  return {read_by_extension(path, csv), std::nullopt};
}

// Reshapes in place to rows x (product of the other dimensions); a 1-D array becomes one column.
void flatten_to_matrix(Tensor& t) {
  if (t.ndim() == 0) {
    t.resize({1, 1});
    return;
  }
  int64_t cols = 1;
  for (int d = 1; d < t.ndim(); ++d) cols *= t.dim(d);
  t.resize({t.dim(0), cols});  // same size: the contents are kept
}

// The same for bytes.
void flatten_to_matrix(ByteMatrix& m) {
  if (m.ndim() == 0) {
    m.reshape({1, 1});
    return;
  }
  int64_t cols = 1;
  for (int d = 1; d < m.ndim(); ++d) cols *= m.dim(d);
  m.reshape({m.dim(0), cols});
}

// Sets x or bytes from `values`, flattened to a matrix, and the image size of a 3-D array.
void take_values(Dataset& data, DataValues values) {
  const Shape shape = values.bytes ? values.bytes->shape() : values.floats.shape();
  if (shape.size() == 3) {
    data.image_height = shape[1];
    data.image_width = shape[2];
  }
  data.x = std::move(values.floats);
  data.bytes = std::move(values.bytes);
  if (data.bytes) flatten_to_matrix(*data.bytes);
  else flatten_to_matrix(data.x);
}

// The 28x28 sets: `split` is train or test, which the files name train and t10k.
Dataset load_named(const std::string& spec, const std::string& name, const std::string& split, Uint8Data uint8) {
  if (split != "train" && split != "test")
    fail(spec, ": unknown split '", split, "' (use ", name, ":train or ", name, ":test)");
  const fs::path dir = fs::path(data_cache_dir()) / name;
  const std::string prefix = split == "train" ? "train" : "t10k";
  auto find = [&](const std::string& base) {
    for (const std::string& candidate : {base, base + ".gz"})
      if (fs::exists(dir / candidate)) return (dir / candidate).string();
    fail(spec, ": not found in ", dir.string(), " (run scripts/fetch-data, or set AEKIT_DATA)");
  };
  const std::string images_path = find(prefix + "-images-idx3-ubyte");
  const std::string labels_path = find(prefix + "-labels-idx1-ubyte");

  Dataset data;
  data.source = spec;
  DataValues images = read_idx_values(images_path, uint8 == Uint8Data::AsBytes);
  const Shape shape = images.bytes ? images.bytes->shape() : images.floats.shape();
  data.labels = read_idx(labels_path);
  if (shape.size() != 3) fail(images_path, ": expected N x height x width images, found shape ", shape_string(shape));
  if (data.labels.ndim() != 1 || data.labels.dim(0) != shape[0])
    fail(labels_path, ": expected ", shape[0], " labels to match ", images_path, ", found shape ",
         shape_string(data.labels.shape()));
  take_values(data, std::move(images));
  return data;
}

Dataset load_path(const std::string& path, const CsvOptions& csv, Uint8Data uint8) {
  Dataset data;
  data.source = input_display_name(path);
  if (is_table_path(path)) {
    CsvTable table = read_csv_table(path, csv);
    data.x = std::move(table.x);
    data.labels = std::move(table.labels);
    data.feature_names = std::move(table.names);
    data.label_names = std::move(table.label_names);
    data.label_name = std::move(table.label_name);
    return data;
  }
  if (csv.columns.selects_anything())
    fail(data.source, ": --label-column, --columns and --drop-columns apply to CSV/TSV tables (.csv, .tsv, .txt), "
         "not to this file");
  take_values(data, read_values_by_extension(path, csv, uint8));
  if (data.rows() == 0)
    fail(data.source, ": no samples (shape ", shape_string(data.bytes ? data.bytes->shape() : data.x.shape()), ")");
  return data;
}

}  // namespace

Dataset load_dataset(const std::string& spec, const CsvOptions& csv, Uint8Data uint8) {
  if (is_standard_stream(spec)) return load_path(spec, csv, uint8);
  const size_t colon = spec.find(':');
  const std::string name = spec.substr(0, colon);
  for (const char* known : kNamedSets) {
    if (name != known) continue;
    if (csv.columns.selects_anything())
      fail(spec, ": brings its own labels and columns; --label-column, --columns and --drop-columns are for CSV/TSV tables");
    return load_named(spec, name, colon == std::string::npos ? "train" : spec.substr(colon + 1), uint8);
  }
  // A word with no directory and no extension that is not a file was meant as a name.
  std::error_code ec;
  std::optional<Dataset> table = fs::exists(spec, ec) ? std::nullopt : load_bundled_table(spec);
  if (table) {
    if (csv.columns.selects_anything())
      fail(spec, ": brings its own labels and columns; --label-column, --columns and --drop-columns are for CSV/TSV tables");
    return std::move(*table);
  }
  if (spec.find_first_of("/.") == std::string::npos && !fs::exists(spec, ec))
    fail("unknown dataset '", spec, "' (known names: ", kKnownNames,
         "; or give the path of a .npy, .csv, .tsv, .txt or IDX file)");
  return load_path(spec, csv, uint8);
}

bool is_table_path(const std::string& path) {
  if (is_standard_stream(path)) return !standard_input_is_npy();
  const std::string ext = fs::path(path).extension().string();
  return ext == ".csv" || ext == ".tsv" || ext == ".txt";
}

Tensor load_matrix(const std::string& path, const CsvOptions& csv) {
  if (csv.columns.selects_anything() && !is_table_path(path))
    fail(input_display_name(path), ": --label-column, --columns and --drop-columns apply to CSV/TSV tables (.csv, .tsv, .txt), "
         "not to this file");
  Tensor t = read_by_extension(path, csv);
  flatten_to_matrix(t);
  return t;
}

}  // namespace aekit
