#pragma once
// Labels from a column of a matrix already read: the column is taken out of the features and
// becomes Dataset::labels (the bundled tables' last column). CSV files given by path select their
// label column while they are read (--label-column, column_selection.h); named sets (mnist,
// fashion-mnist) bring their label files.
#include <aekit/data/dataset.h>

#include <cstdint>

namespace aekit {

// Moves column `column` (counted from 0, negative from the end) of data.x into data.labels. InputError
// naming data.source when the column is out of range or is the only one.
void take_label_column(Dataset& data, int64_t column);

}  // namespace aekit
