#include <aekit/core/csr_matrix.h>

#include <aekit/core/error.h>

#include <algorithm>
#include <limits>

namespace aekit {

CsrMatrix CsrMatrix::from_entries(int64_t rows, int64_t cols, std::vector<CsrEntry> entries) {
  AEKIT_ASSERT(rows >= 0 && cols >= 0 && cols <= std::numeric_limits<int32_t>::max(),
               "CSR shape ", rows, " x ", cols);
  std::sort(entries.begin(), entries.end(), [](const CsrEntry& a, const CsrEntry& b) {
    return a.row != b.row ? a.row < b.row : a.col < b.col;
  });
  CsrMatrix m;
  m.cols_ = cols;
  m.row_ptr_.assign(static_cast<size_t>(rows) + 1, 0);
  m.col_idx_.reserve(entries.size());
  m.values_.reserve(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    const CsrEntry& e = entries[i];
    AEKIT_ASSERT(e.row >= 0 && e.row < rows && e.col >= 0 && e.col < cols, "CSR entry (", e.row,
                 ", ", e.col, ") outside ", rows, " x ", cols);
    AEKIT_ASSERT(i == 0 || e.row != entries[i - 1].row || e.col != entries[i - 1].col,
                 "CSR entry (", e.row, ", ", e.col, ") given twice");
    ++m.row_ptr_[static_cast<size_t>(e.row) + 1];
    m.col_idx_.push_back(static_cast<int32_t>(e.col));
    m.values_.push_back(e.value);
  }
  for (size_t r = 0; r < static_cast<size_t>(rows); ++r) m.row_ptr_[r + 1] += m.row_ptr_[r];
  return m;
}

CsrMatrix CsrMatrix::from_rows(int64_t cols, std::vector<int64_t> row_ptr, std::vector<int32_t> col_idx,
                               std::vector<float> values) {
  AEKIT_ASSERT(cols >= 0 && cols <= std::numeric_limits<int32_t>::max() && !row_ptr.empty() && row_ptr.front() == 0 &&
                   row_ptr.back() == static_cast<int64_t>(col_idx.size()) && col_idx.size() == values.size(),
               "CSR arrays: ", row_ptr.size(), " row offsets ending at ", row_ptr.empty() ? 0 : row_ptr.back(), ", ",
               col_idx.size(), " columns, ", values.size(), " values");
  for (size_t r = 0; r + 1 < row_ptr.size(); ++r) {
    AEKIT_ASSERT(row_ptr[r] <= row_ptr[r + 1], "CSR row ", r, " ends before it starts");
    for (int64_t k = row_ptr[r]; k < row_ptr[r + 1]; ++k) {
      const int32_t c = col_idx[static_cast<size_t>(k)];
      AEKIT_ASSERT(c >= 0 && c < cols, "CSR entry (", r, ", ", c, ") outside ", row_ptr.size() - 1, " x ", cols);
      AEKIT_ASSERT(k == row_ptr[r] || col_idx[static_cast<size_t>(k) - 1] < c, "CSR row ", r,
                   ": columns not ascending and unique at ", c);
    }
  }
  CsrMatrix m;
  m.cols_ = cols;
  m.row_ptr_ = std::move(row_ptr);
  m.col_idx_ = std::move(col_idx);
  m.values_ = std::move(values);
  return m;
}

float CsrMatrix::at(int64_t r, int64_t c, float missing) const {
  const auto cols = row_cols(r);
  const auto it = std::lower_bound(cols.begin(), cols.end(), static_cast<int32_t>(c));
  if (it == cols.end() || *it != c) return missing;
  return values_[static_cast<size_t>(row_begin(r) + (it - cols.begin()))];
}

std::vector<CsrEntry> CsrMatrix::entries() const {
  std::vector<CsrEntry> all;
  all.reserve(col_idx_.size());
  for (int64_t r = 0; r < rows(); ++r)
    for (int64_t k = row_begin(r); k < row_end(r); ++k)
      all.push_back({r, col_idx_[static_cast<size_t>(k)], values_[static_cast<size_t>(k)]});
  return all;
}

CsrMatrix CsrMatrix::transpose() const {
  std::vector<CsrEntry> flipped = entries();
  for (CsrEntry& e : flipped) std::swap(e.row, e.col);
  return from_entries(cols_, rows(), std::move(flipped));
}

}  // namespace aekit
