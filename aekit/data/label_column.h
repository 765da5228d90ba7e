#pragma once
// Labels from a column of a table (--label-column): the column is taken out of the features and
// becomes Dataset::labels, so a CSV of "features..., class" trains, encodes and is evaluated on
// its features only while probes and plots see the classes. Named sets (mnist, fashion-mnist)
// bring their label files instead.
#include <aekit/data/dataset.h>

#include <cstdint>
#include <optional>
#include <string>

namespace aekit {

// The flag's text: "" or "none" for no label column, else a column index counted from 0, or
// negative from the end (-1 = the last column). InputError naming --label-column otherwise.
std::optional<int64_t> parse_label_column(const std::string& text);

// Moves column `column` (as parse_label_column gives it) of data.x into data.labels. InputError
// naming data.source when the column is out of range or is the only one.
void take_label_column(Dataset& data, int64_t column);

}  // namespace aekit
