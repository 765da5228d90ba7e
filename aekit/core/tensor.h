#pragma once
// Tensor: float32, row-major, contiguous, 64-byte aligned, up to 4 dimensions.
// Convention used throughout aekit: a batch is a 2-D tensor with one sample per row.
// A Tensor owns its storage; MatrixView is the cheap non-owning view used to pass a block of rows.
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace aekit {

using Shape = std::vector<int64_t>;

std::string shape_string(const Shape& shape);  // "[256, 784]"

// Non-owning view of a row-major matrix (rows x cols, contiguous rows).
struct MatrixView {
  float* data = nullptr;
  int64_t rows = 0;
  int64_t cols = 0;
  float* row(int64_t r) const { return data + r * cols; }
  int64_t size() const { return rows * cols; }
};
struct ConstMatrixView {
  const float* data = nullptr;
  int64_t rows = 0;
  int64_t cols = 0;
  ConstMatrixView() = default;
  ConstMatrixView(const float* d, int64_t r, int64_t c) : data(d), rows(r), cols(c) {}
  ConstMatrixView(MatrixView v) : data(v.data), rows(v.rows), cols(v.cols) {}  // NOLINT
  const float* row(int64_t r) const { return data + r * cols; }
  int64_t size() const { return rows * cols; }
};

class Tensor {
 public:
  Tensor() = default;
  explicit Tensor(Shape shape);  // zero-filled
  Tensor(std::initializer_list<int64_t> shape) : Tensor(Shape(shape)) {}
  Tensor(const Tensor& other);
  Tensor& operator=(const Tensor& other);
  Tensor(Tensor&&) noexcept = default;
  Tensor& operator=(Tensor&&) noexcept = default;

  // Changes the shape; keeps the allocation when it is large enough (no allocation in hot loops).
  // Contents are unspecified afterwards unless the size is unchanged.
  void resize(const Shape& shape);
  // The same from the dimensions themselves, resize({rows, cols}), without building a Shape: a
  // temporary Shape was an allocation per call (eleven a step of the seeds' recommender).
  void resize(std::initializer_list<int64_t> dims);
  void fill(float value);

  const Shape& shape() const { return shape_; }
  int64_t dim(int i) const { return shape_.at(static_cast<size_t>(i)); }
  int ndim() const { return static_cast<int>(shape_.size()); }
  int64_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // A tensor seen as a matrix: rows = first dimension, cols = product of the others.
  int64_t rows() const { return shape_.empty() ? 0 : shape_[0]; }
  int64_t cols() const { return rows() == 0 ? 0 : size_ / rows(); }

  float* data() { return data_.get(); }
  const float* data() const { return data_.get(); }
  std::span<float> span() { return {data_.get(), static_cast<size_t>(size_)}; }
  std::span<const float> span() const { return {data_.get(), static_cast<size_t>(size_)}; }
  float* row(int64_t r) { return data() + r * cols(); }
  const float* row(int64_t r) const { return data() + r * cols(); }
  float& operator[](int64_t i) { return data_.get()[i]; }
  float operator[](int64_t i) const { return data_.get()[i]; }

  MatrixView view() { return {data(), rows(), cols()}; }
  ConstMatrixView view() const { return {data(), rows(), cols()}; }
  // Rows [begin, begin + count) as a view.
  MatrixView rows_view(int64_t begin, int64_t count) { return {row(begin), count, cols()}; }
  ConstMatrixView rows_view(int64_t begin, int64_t count) const {
    return {row(begin), count, cols()};
  }

 private:
  struct FreeAligned {
    void operator()(float* p) const noexcept;
  };
  Shape shape_;
  int64_t size_ = 0;
  int64_t capacity_ = 0;
  std::unique_ptr<float[], FreeAligned> data_;

  // size_ = n, with an allocation only when n exceeds the capacity (contents then unspecified).
  void hold(int64_t n);
};

}  // namespace aekit
