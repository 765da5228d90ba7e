#include <aekit/data/subsample.h>

#include <aekit/core/rng.h>

#include <algorithm>
#include <numeric>
#include <vector>

namespace aekit {

void subsample_rows(Dataset& data, int64_t limit, uint64_t seed) {
  if (limit <= 0 || data.x.rows() <= limit) return;
  std::vector<int64_t> rows(static_cast<size_t>(data.x.rows()));
  std::iota(rows.begin(), rows.end(), 0);
  Rng rng(seed);
  shuffle(rows.begin(), rows.end(), rng);
  rows.resize(static_cast<size_t>(limit));
  std::sort(rows.begin(), rows.end());
  Tensor x({limit, data.x.cols()});
  Tensor labels(data.labels.empty() ? Shape{0} : Shape{limit});
  for (int64_t i = 0; i < limit; ++i) {
    std::copy_n(data.x.row(rows[i]), data.x.cols(), x.row(i));
    if (!data.labels.empty()) labels[i] = data.labels[rows[i]];
  }
  data.x = std::move(x);
  data.labels = std::move(labels);
}

}  // namespace aekit
