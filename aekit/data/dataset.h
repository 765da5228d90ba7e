#pragma once
// Datasets by name or by path. Names resolve to a fixed layout in the cache directory that
// scripts/fetch-data fills:
//   <cache>/mnist/{train-images-idx3-ubyte, train-labels-idx1-ubyte,
//                  t10k-images-idx3-ubyte,  t10k-labels-idx1-ubyte}   (each raw or .gz)
//   <cache>/fashion-mnist/ the same four names
// and the small tables of bundled_tables.h (digits, iris, wine, breast-cancer).
#include <aekit/core/tensor.h>
#include <aekit/data/byte_matrix.h>
#include <aekit/data/cache_dir.h>
#include <aekit/data/csv.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace aekit {

struct Dataset {
  Tensor x;       // N x features, one sample per row; images flattened row-major
  Tensor labels;  // N labels, or empty when the source has none
  int64_t image_height = 0;  // 0 when the samples are not images
  int64_t image_width = 0;
  std::string source;  // the name or path it came from, for messages
  // A table's feature names (its header cells, after the column options); empty without a header.
  std::vector<std::string> feature_names;
  std::string label_name;  // the label column's header cell, when it has one
  // Class names of text labels: label k is label_names[k]. Empty when labels are numbers.
  std::vector<std::string> label_names;
  // Loaded with Uint8Data::AsBytes from a uint8 file (MNIST's IDX, a '|u1' .npy): the values as
  // bytes, N x features like x, and x is then empty (data/byte_matrix.h says why). Last, so that
  // aggregate initialisations of the fields above stay valid.
  std::optional<ByteMatrix> bytes;

  // Samples and features, of x or of bytes, whichever holds the data.
  int64_t rows() const { return bytes ? bytes->rows() : x.rows(); }
  int64_t cols() const { return bytes ? bytes->cols() : x.cols(); }
};

// How load_dataset returns data stored as uint8: as floats in Dataset::x (what every verb reads),
// or as its bytes in Dataset::bytes (training converts a batch at a time).
enum class Uint8Data { AsFloats, AsBytes };

// `spec` is a name (mnist, mnist:train, mnist:test, fashion-mnist[:train|:test], digits, iris, wine,
// breast-cancer), a path to a .npy, .csv, .tsv, .txt or IDX file (.idx, *-ubyte, .gz), or `-` for
// standard input holding a CSV table or a .npy array (told apart by the .npy magic). A 3-D array N x H x W is taken as
// images: it sets image_height/width and is flattened to N x (H*W). Throws InputError when the
// data is missing (saying how to fetch it), the name is unknown (listing the names) or damaged.
Dataset load_dataset(const std::string& spec, const CsvOptions& csv = {}, Uint8Data uint8 = Uint8Data::AsFloats);

// True for the paths load_dataset reads as CSV/TSV tables (.csv, .tsv, .txt, and `-` unless
// standard input holds a .npy array).
bool is_table_path(const std::string& path);

// A matrix from a file chosen by its extension (as load_dataset), as rows x columns: a 1-D array
// is one column, more than 2 dimensions are flattened after the first.
Tensor load_matrix(const std::string& path, const CsvOptions& csv = {});

}  // namespace aekit
