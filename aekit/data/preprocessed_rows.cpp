#include <aekit/data/preprocessed_rows.h>

#include <cstring>

namespace aekit {

void PreprocessedRows::gather(std::span<const int64_t> ids, Tensor& out) const {
  const int64_t width = cols();
  const auto count = static_cast<int64_t>(ids.size());
  out.resize({count, width});
  if (bytes_) {
    // On one thread: converting a batch of MNIST rows takes less than starting a parallel region.
    for (int64_t i = 0; i < count; ++i)
      preprocessor_->apply(bytes_->row(ids[static_cast<size_t>(i)]), 1, width, out.row(i));
    return;
  }
#pragma omp parallel for schedule(static) if (count * width >= (1 << 16))
  for (int64_t i = 0; i < count; ++i)
    std::memcpy(out.row(i), floats_->row(ids[static_cast<size_t>(i)]), static_cast<size_t>(width) * sizeof(float));
}

ConstMatrixView PreprocessedRows::block(int64_t first, int64_t count, Tensor& scratch) const {
  if (!bytes_) return floats_->rows_view(first, count);
  scratch.resize({count, cols()});
  preprocessor_->apply(bytes_->row(first), count, cols(), scratch.data());
  return scratch.view();
}

Tensor PreprocessedRows::to_tensor() const {
  if (!bytes_) return *floats_;
  Tensor all;
  block(0, rows(), all);
  return all;
}

}  // namespace aekit
