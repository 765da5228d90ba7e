#pragma once
// A random subset of a dataset's rows, for work whose cost grows with the rows (kNN probes,
// scatter plots) and does not need them all.
#include <aekit/data/dataset.h>

#include <cstdint>

namespace aekit {

// Keeps `limit` rows of data.x and their labels, drawn without replacement with `seed` and kept in
// their original order; nothing changes when limit <= 0 or the data has no more rows than that.
void subsample_rows(Dataset& data, int64_t limit, uint64_t seed);

}  // namespace aekit
