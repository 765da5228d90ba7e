#pragma once
// The data as a model sees it: preprocessed float rows, handed out a few rows at a time. Float data
// is held already preprocessed (in place) and handed out as it is. uint8 data stays in its bytes
// (byte_matrix.h says why) and is converted and preprocessed as rows are asked for, into exactly
// the floats the float path holds, so training and scoring on either give the same results.
#include <aekit/core/tensor.h>
#include <aekit/data/byte_matrix.h>
#include <aekit/data/preprocess.h>

#include <algorithm>
#include <cstdint>
#include <span>

namespace aekit {

class PreprocessedRows {
 public:
  // Rows already preprocessed; x must outlive this.
  explicit PreprocessedRows(const Tensor& x) : floats_(&x) {}
  // Bytes to preprocess as they are read; both must outlive this.
  PreprocessedRows(const ByteMatrix& bytes, const Preprocessor& preprocessor)
      : bytes_(&bytes), preprocessor_(&preprocessor) {}

  int64_t rows() const { return bytes_ ? bytes_->rows() : floats_->rows(); }
  int64_t cols() const { return bytes_ ? bytes_->cols() : floats_->cols(); }

  // Rows `ids`, in that order, into `out` (resized to ids.size() x cols()).
  void gather(std::span<const int64_t> ids, Tensor& out) const;
  // The same into rows that exist (out: ids.size() x cols()), e.g. one thread's block of a batch.
  void gather(std::span<const int64_t> ids, MatrixView out) const;
  // Rows [first, first + count): a view of the floats themselves, or of the bytes converted into
  // `scratch` (valid until scratch changes).
  ConstMatrixView block(int64_t first, int64_t count, Tensor& scratch) const;
  // Calls use(first_row, view) for consecutive blocks of up to `rows_per_block` rows, in order.
  template <typename Use>
  void for_each_block(int64_t rows_per_block, Use&& use) const {
    Tensor scratch;
    for (int64_t r = 0; r < rows(); r += rows_per_block)
      use(r, block(r, std::min(rows_per_block, rows() - r), scratch));
  }
  // Every row in one tensor, for work that needs them all at once (pretraining). Floats are copied.
  Tensor to_tensor() const;

 private:
  const Tensor* floats_ = nullptr;
  const ByteMatrix* bytes_ = nullptr;
  const Preprocessor* preprocessor_ = nullptr;
};

}  // namespace aekit
