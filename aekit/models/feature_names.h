#pragma once
// A model trained on a table with a header remembers its feature names, in order; data given to
// it later with a header must have the same names in the same order. A column moved, renamed,
// added or missing is an error that says which, rather than a model silently reading the wrong
// column. Data without a header (a .npy file, a headerless CSV) is checked by its width only.
#include <aekit/data/dataset.h>

#include <string>
#include <vector>

namespace aekit {

// InputError naming data.source when `expected` (the model's names, or the training data's) and
// data.feature_names are both known and differ. `against` says whose names they are, for the
// message ("the model m.aek").
void check_feature_names(const std::vector<std::string>& expected, const Dataset& data, const std::string& against);

}  // namespace aekit
