#include <aekit/data/bundled_tables.h>

#include <aekit/core/error.h>
#include <aekit/data/csv.h>
#include <aekit/data/detail/gzip_reader.h>
#include <aekit/data/detail/read_bytes.h>
#include <aekit/data/label_column.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

namespace aekit {

namespace fs = std::filesystem;

namespace {

struct BundledTable {
  const char* name;
  const char* file;
  int64_t rows, features;
  // sklearn's own layout: the first line is "ROWS,FEATURES,class names..." (all but digits).
  bool count_line;
};

constexpr BundledTable kTables[] = {
    {"digits", "digits.csv.gz", 1797, 64, false},
    {"iris", "iris.csv", 150, 4, true},
    {"wine", "wine_data.csv", 178, 13, true},
    {"breast-cancer", "breast_cancer.csv", 569, 30, true},
};

std::string read_gzip_text(const std::string& path) {
  data_detail::GzipReader gz(path);
  std::string text;
  unsigned char block[1 << 16];
  // The bundled files are known and small; the cap keeps a replaced file from filling memory.
  constexpr size_t kCap = size_t{64} << 20;
  while (size_t n = gz.read_some(block, sizeof block)) {
    if (text.size() + n > kCap) fail(path, ": more than 64 MiB once decompressed; not scikit-learn's file");
    text.append(reinterpret_cast<const char*>(block), n);
  }
  gz.check_complete();
  return text;
}

// Every fifth row (index % 5 == 4) is the test split, the others the training split.
void keep_split(Dataset& data, bool test) {
  const int64_t rows = data.x.rows(), cols = data.x.cols();
  const int64_t kept = test ? rows / 5 : rows - rows / 5;
  Tensor x({kept, cols}), labels({kept});
  for (int64_t r = 0, k = 0; r < rows; ++r) {
    if ((r % 5 == 4) != test) continue;
    std::copy(data.x.row(r), data.x.row(r) + cols, x.row(k));
    labels.data()[k++] = data.labels.data()[r];
  }
  data.x = std::move(x);
  data.labels = std::move(labels);
}

}  // namespace

std::string bundled_tables_dir() {
  if (const char* dir = std::getenv("AEKIT_SKLEARN_DATA"); dir && *dir) return dir;
  return "/usr/lib/python3/dist-packages/sklearn/datasets/data";
}

const char* bundled_table_names() { return "digits, iris, wine, breast-cancer"; }

std::optional<Dataset> load_bundled_table(const std::string& spec) {
  const size_t colon = spec.find(':');
  const std::string name = spec.substr(0, colon);
  const std::string split = colon == std::string::npos ? "" : spec.substr(colon + 1);
  const BundledTable* table = nullptr;
  for (const BundledTable& t : kTables)
    if (name == t.name) table = &t;
  if (!table) return std::nullopt;
  if (!split.empty() && split != "train" && split != "test")
    fail(spec, ": unknown split '", split, "' (use ", name, ", ", name, ":train or ", name, ":test)");
  const std::string path = (fs::path(bundled_tables_dir()) / table->file).string();
  std::error_code ec;
  if (!fs::exists(path, ec))
    fail(name, ": ", path, " not found; it comes with Debian's python3-sklearn (scripts/bootstrap installs it), "
         "or set AEKIT_SKLEARN_DATA to a directory holding scikit-learn's ", table->file);
  std::string text = table->count_line ? data_detail::read_text_file(path) : read_gzip_text(path);
  if (table->count_line) text.erase(0, text.find('\n') == std::string::npos ? text.size() : text.find('\n') + 1);
  CsvOptions csv;
  csv.delimiter = ',';
  csv.header = HeaderMode::No;
  Dataset data;
  data.source = name;
  data.x = parse_csv(text, path, csv);
  if (data.x.rows() != table->rows || data.x.cols() != table->features + 1)
    fail(path, ": expected ", table->rows, " rows of ", table->features, " features and a class, found ",
         data.x.rows(), " x ", data.x.cols());
  take_label_column(data, -1);
  data.source = spec;
  if (!split.empty()) keep_split(data, split == "test");
  return data;
}

}  // namespace aekit
