#pragma once
// Small real tables by name, from scikit-learn's bundled data as Debian's python3-sklearn installs
// it (scripts/bootstrap installs that package), so examples and tests on tabular data need no
// download. The last column of each file is the class, which becomes Dataset::labels.
//   digits         1797 x 64   8x8 images of handwritten digits, values 0..16, 10 classes
//   iris            150 x 4    3 species
//   wine            178 x 13   3 cultivars
//   breast-cancer   569 x 30   malignant (0) or benign (1)
// NAME:train and NAME:test split them the same way every time: every fifth row (index % 5 == 4)
// is the test split, the others the training split, so every class is in both (iris and wine
// are sorted by class).
// They load as tables, not images: the defaults that follow the data (train/data_defaults.h)
// apply to them.
#include <aekit/data/dataset.h>

#include <optional>
#include <string>

namespace aekit {

// The directory the files are read from: $AEKIT_SKLEARN_DATA when set, else Debian's.
std::string bundled_tables_dir();

// The names above, comma-separated, for messages.
const char* bundled_table_names();

// nullopt when `spec` is not one of the names above (with :train or :test); InputError when it
// is but the split is unknown or the file missing (saying which package brings it) or not what it
// should be.
std::optional<Dataset> load_bundled_table(const std::string& spec);

}  // namespace aekit
