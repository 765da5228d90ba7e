#include <aekit/core/tensor.h>

#include <aekit/core/aligned_memory.h>
#include <aekit/core/checked_size.h>
#include <aekit/core/error.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <span>
#include <sstream>

namespace aekit {

namespace {
constexpr size_t kAlignment = 64;

int64_t element_count(std::span<const int64_t> shape) {
  AEKIT_ASSERT(shape.size() <= 4, "tensors have at most 4 dimensions, got ", shape.size());
  // Byte counts must fit too: at most INT64_MAX / 4 elements, rounded up to the alignment.
  const std::optional<uint64_t> n = checked_product(shape, (kMaxSize - kAlignment) / sizeof(float));
  AEKIT_ASSERT(n.has_value(), "negative dimension or size overflow in ", shape_string(Shape(shape.begin(), shape.end())));
  return static_cast<int64_t>(*n);
}

float* allocate(int64_t count) {
  return static_cast<float*>(allocate_aligned(static_cast<size_t>(count) * sizeof(float)));
}
}  // namespace

std::string shape_string(const Shape& shape) {
  std::ostringstream out;
  out << '[';
  for (size_t i = 0; i < shape.size(); ++i) out << (i ? ", " : "") << shape[i];
  out << ']';
  return out.str();
}

void Tensor::FreeAligned::operator()(float* p) const noexcept { std::free(p); }

Tensor::Tensor(Shape shape) {
  resize(shape);
  fill(0.0f);
}

Tensor::Tensor(const Tensor& other) : shape_(other.shape_), size_(other.size_), capacity_(other.size_) {
  data_.reset(allocate(size_));
  if (size_) std::memcpy(data_.get(), other.data_.get(), static_cast<size_t>(size_) * sizeof(float));
}

Tensor& Tensor::operator=(const Tensor& other) {
  if (this != &other) {
    resize(other.shape_);
    if (size_) std::memcpy(data_.get(), other.data_.get(), static_cast<size_t>(size_) * sizeof(float));
  }
  return *this;
}

void Tensor::hold(int64_t n) {
  if (n > capacity_) {
    data_.reset(allocate(n));
    capacity_ = n;
  }
  size_ = n;
}

void Tensor::resize(const Shape& shape) {
  hold(element_count(shape));
  shape_ = shape;
}

void Tensor::resize(std::initializer_list<int64_t> dims) {
  hold(element_count(std::span<const int64_t>(dims.begin(), dims.size())));
  shape_.assign(dims);  // in place once shape_ has held as many dimensions
}

void Tensor::fill(float value) { std::fill_n(data(), size_, value); }

}  // namespace aekit
