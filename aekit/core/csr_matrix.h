#pragma once
// A sparse matrix in compressed sparse row form, float32 values: the rating matrix of a
// recommender (rows = users or items, columns = the other side, one stored entry per rating).
// Row r holds the entries [row_ptr[r], row_ptr[r + 1]) of col_idx and values, columns ascending
// and unique within a row. A stored entry may hold 0; "stored" is what counts as observed.
#include <cstdint>
#include <span>
#include <vector>

namespace aekit {

struct CsrEntry {
  int64_t row;
  int64_t col;
  float value;
};

class CsrMatrix {
 public:
  CsrMatrix() : row_ptr_{0} {}
  // From entries in any order; InternalError (a bug in the caller) on an out-of-range index or a
  // repeated (row, col): readers reject duplicates with a message before building.
  static CsrMatrix from_entries(int64_t rows, int64_t cols, std::vector<CsrEntry> entries);
  // From the three arrays themselves (row_ptr of rows + 1 offsets from 0, columns ascending and
  // unique within each row); InternalError when they are not that. For matrices built row by row
  // (input dropout's batches, every step), without the entries' copy and sort.
  static CsrMatrix from_rows(int64_t cols, std::vector<int64_t> row_ptr, std::vector<int32_t> col_idx,
                             std::vector<float> values);

  int64_t rows() const { return static_cast<int64_t>(row_ptr_.size()) - 1; }
  int64_t cols() const { return cols_; }
  int64_t nnz() const { return static_cast<int64_t>(col_idx_.size()); }

  int64_t row_begin(int64_t r) const { return row_ptr_[static_cast<size_t>(r)]; }
  int64_t row_end(int64_t r) const { return row_ptr_[static_cast<size_t>(r) + 1]; }
  int64_t row_nnz(int64_t r) const { return row_end(r) - row_begin(r); }
  std::span<const int32_t> row_cols(int64_t r) const {
    return std::span(col_idx_).subspan(static_cast<size_t>(row_begin(r)), static_cast<size_t>(row_nnz(r)));
  }
  std::span<const float> row_values(int64_t r) const {
    return std::span(values_).subspan(static_cast<size_t>(row_begin(r)), static_cast<size_t>(row_nnz(r)));
  }
  const std::vector<int64_t>& row_ptr() const { return row_ptr_; }
  const std::vector<int32_t>& col_idx() const { return col_idx_; }
  const std::vector<float>& values() const { return values_; }

  // The stored value at (r, c), or `missing` when the entry is not stored (binary search).
  float at(int64_t r, int64_t c, float missing = 0.0f) const;
  CsrMatrix transpose() const;
  // Every entry, row by row.
  std::vector<CsrEntry> entries() const;

 private:
  int64_t cols_ = 0;
  std::vector<int64_t> row_ptr_;
  std::vector<int32_t> col_idx_;
  std::vector<float> values_;
};

}  // namespace aekit
