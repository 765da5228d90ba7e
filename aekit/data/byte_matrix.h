#pragma once
// uint8 data kept as the bytes it was stored as (MNIST's IDX ubyte files, .npy '|u1'), a quarter of
// the memory of floats. Training converts and preprocesses a batch at a time
// (data/preprocessed_rows.h) instead of holding a float copy: on MNIST the first writes to that
// copy's 188 MB of fresh pages cost 170-550 ms of start-up on the VMs aekit runs on, more than all
// the rest before the first batch.
//
// Row-major like Tensor: a matrix is rows x (product of the other dimensions).
#include <aekit/core/aligned_memory.h>
#include <aekit/core/checked_size.h>
#include <aekit/core/error.h>
#include <aekit/core/tensor.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>

namespace aekit {

class ByteMatrix {
 public:
  ByteMatrix() = default;
  // Contents uninitialised: readers write every byte (zeroing first would touch every page twice).
  explicit ByteMatrix(Shape shape) : shape_(std::move(shape)) {
    const std::optional<uint64_t> n = checked_product(shape_, static_cast<uint64_t>(kMaxSize));
    AEKIT_ASSERT(n.has_value(), "negative dimension or size overflow in ", shape_string(shape_));
    size_ = static_cast<int64_t>(*n);
    data_.reset(static_cast<uint8_t*>(allocate_aligned(static_cast<size_t>(size_))));
  }

  ByteMatrix(const ByteMatrix& other) : ByteMatrix(other.shape_) {
    if (size_ > 0) std::memcpy(data(), other.data(), static_cast<size_t>(size_));
  }
  ByteMatrix& operator=(const ByteMatrix& other) {
    if (this != &other) *this = ByteMatrix(other);
    return *this;
  }
  ByteMatrix(ByteMatrix&&) noexcept = default;
  ByteMatrix& operator=(ByteMatrix&&) noexcept = default;

  const Shape& shape() const { return shape_; }
  int ndim() const { return static_cast<int>(shape_.size()); }
  int64_t dim(int i) const { return shape_.at(static_cast<size_t>(i)); }
  int64_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  int64_t rows() const { return shape_.empty() ? 0 : shape_[0]; }
  int64_t cols() const { return rows() == 0 ? 0 : size_ / rows(); }

  uint8_t* data() { return data_.get(); }
  const uint8_t* data() const { return data_.get(); }
  const uint8_t* row(int64_t r) const { return data_.get() + r * cols(); }

  // A new shape with the same number of elements (a reshape: the bytes stay where they are).
  void reshape(const Shape& shape) {
    AEKIT_ASSERT(checked_product(shape, static_cast<uint64_t>(kMaxSize)) == static_cast<uint64_t>(size_),
                 "reshape of ", shape_string(shape_), " to ", shape_string(shape), " changes the size");
    shape_ = shape;
  }

  // The values as floats, unchanged (byte 255 -> 255.0f): what read_idx and read_npy return.
  Tensor to_floats() const {
    Tensor t;
    t.resize(shape_);
    const uint8_t* src = data();
    float* dst = t.data();
#pragma omp simd
    for (int64_t i = 0; i < size_; ++i) dst[i] = static_cast<float>(src[i]);
    return t;
  }

 private:
  Shape shape_;
  int64_t size_ = 0;
  std::unique_ptr<uint8_t[], FreeAligned> data_;
};

// What a reader asked to keep uint8 data as bytes returns: `bytes` when the file holds uint8
// values, `floats` (as the plain reader gives them) otherwise.
struct DataValues {
  Tensor floats;
  std::optional<ByteMatrix> bytes;
};

}  // namespace aekit
