#include <aekit/recsys/row_normalisation.h>

#include <cmath>
#include <map>

namespace aekit {

CsrMatrix l2_normalised_rows(const CsrMatrix& m) {
  std::vector<CsrEntry> entries = m.entries();
  l2_normalise_rows(entries);
  return CsrMatrix::from_entries(m.rows(), m.cols(), std::move(entries));
}

void l2_normalise_rows(std::span<CsrEntry> entries) {
  std::map<int64_t, double> squares;
  for (const CsrEntry& e : entries) squares[e.row] += static_cast<double>(e.value) * e.value;
  for (CsrEntry& e : entries) {
    const double norm = std::sqrt(squares[e.row]);
    if (norm > 0) e.value = static_cast<float>(e.value / norm);
  }
}

}  // namespace aekit
