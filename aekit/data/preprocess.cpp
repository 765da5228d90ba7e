#include <aekit/data/preprocess.h>

#include <aekit/core/error.h>
#include <aekit/core/json_checked.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <type_traits>

namespace aekit {

namespace {

// x / d from r = 1 / d (rounded): the product, then one fma-exact remainder step.
inline float divide_by_reciprocal(float x, float d, float r) {
  const float q = x * r;
  return std::fma(std::fma(-q, d, x), r, q);
}

constexpr std::pair<PreprocessKind, const char*> kKinds[] = {{PreprocessKind::None, "none"},
                                                             {PreprocessKind::Scale, "scale"},
                                                             {PreprocessKind::MinMax, "minmax"},
                                                             {PreprocessKind::ZScore, "zscore"}};

// A statistic of 0 (constant feature, all-zero data) would divide by zero; 1 maps such a feature
// to 0 in training and keeps invert exact.
float safe_divisor(double d) { return d > 0.0 ? static_cast<float>(d) : 1.0f; }

// A row-major matrix of floats or of bytes, for fitting: statistics of bytes are those of the same
// values as floats (every byte is exactly a float, and the sums run in the same order).
template <typename T>
struct Values {
  const T* data;
  int64_t rows;
  int64_t cols;
  const T* row(int64_t r) const { return data + r * cols; }
};

// Per-feature sums over the rows of x, in double: float sums of 60000 values lose digits.
template <typename T>
std::vector<double> column_sums(Values<T> x, const std::vector<double>& center, bool squares) {
  std::vector<double> sums(static_cast<size_t>(x.cols), 0.0);
  for (int64_t r = 0; r < x.rows; ++r) {
    const T* row = x.row(r);
    for (int64_t j = 0; j < x.cols; ++j) {
      double d = static_cast<float>(row[j]) - (center.empty() ? 0.0 : center[j]);
      sums[j] += squares ? d * d : d;
    }
  }
  return sums;
}

const nlohmann::json& field(const nlohmann::json& j, const char* key, const std::string& source) {
  if (!j.contains(key)) fail(source, ": preprocessing lacks the field '", key, "'");
  return j.at(key);
}

std::vector<float> finite_vector(const nlohmann::json& j, const char* key, int64_t length,
                                 const std::string& source) {
  const nlohmann::json& v = field(j, key, source);
  if (!v.is_array() || static_cast<int64_t>(v.size()) != length)
    fail(source, ": preprocessing field '", key, "' must be an array of ", length, " numbers");
  std::vector<float> out;
  out.reserve(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    const std::optional<float> f = json_float(v[i]);
    if (!f) fail(source, ": preprocessing field '", key, "' element ", i, " is not a finite number");
    out.push_back(*f);
  }
  return out;
}

// Divisors: a zero would turn apply into a division by zero.
std::vector<float> positive_vector(const nlohmann::json& j, const char* key, int64_t length,
                                   const std::string& source) {
  std::vector<float> v = finite_vector(j, key, length, source);
  for (size_t i = 0; i < v.size(); ++i)
    if (!(v[i] > 0.0f)) fail(source, ": preprocessing field '", key, "' element ", i, " is not positive");
  return v;
}

}  // namespace

const char* preprocess_kind_name(PreprocessKind kind) {
  for (auto [k, name] : kKinds)
    if (k == kind) return name;
  AEKIT_ASSERT(false, "unknown PreprocessKind ", static_cast<int>(kind));
}

PreprocessKind parse_preprocess_kind(const std::string& name) {
  for (auto [kind, n] : kKinds)
    if (name == n) return kind;
  fail("unknown preprocessing '", name, "' (valid: none, scale, minmax, zscore)");
}

PreprocessKind choose_preprocess_kind(const std::string& name, bool images) {
  if (name == "auto") return images ? PreprocessKind::Scale : PreprocessKind::MinMax;
  return parse_preprocess_kind(name);
}

namespace {

// The statistics of `kind` over x into offset and divisor (see the class's members).
template <typename T>
void fit_values(PreprocessKind kind, Values<T> x, std::vector<float>& offset, std::vector<float>& divisor) {
  const size_t n = static_cast<size_t>(x.cols);
  switch (kind) {
    case PreprocessKind::None:
      return;
    case PreprocessKind::Scale: {
      // A vector reduction (the data is finite, checked by every reader, so the order of a
      // maximum does not matter): a scalar loop over MNIST's 47M values took 37 ms of start-up.
      float max_abs = 0.0f;
      const T* v = x.data;
      const int64_t count = x.rows * x.cols;
      if constexpr (std::is_same_v<T, uint8_t>) {
        // 64 running maxima side by side (one vpmaxub each 64 bytes): a reduction clause on a
        // byte did not vectorise.
        uint8_t lanes[64] = {};
        int64_t i = 0;
        for (; i + 64 <= count; i += 64)
          for (int j = 0; j < 64; ++j) lanes[j] = std::max(lanes[j], v[i + j]);
        uint8_t max_byte = 0;
        for (uint8_t lane : lanes) max_byte = std::max(max_byte, lane);
        for (; i < count; ++i) max_byte = std::max(max_byte, v[i]);
        max_abs = static_cast<float>(max_byte);
      } else {
#pragma omp simd reduction(max : max_abs)
        for (int64_t i = 0; i < count; ++i) max_abs = std::max(max_abs, std::fabs(v[i]));
      }
      offset.assign(n, 0.0f);
      divisor.assign(n, safe_divisor(max_abs));
      return;
    }
    case PreprocessKind::MinMax: {
      std::vector<float> lo(x.row(0), x.row(0) + n), hi = lo;
      for (int64_t r = 1; r < x.rows; ++r) {
        const T* row = x.row(r);
        for (size_t j = 0; j < n; ++j) {
          lo[j] = std::min(lo[j], static_cast<float>(row[j]));
          hi[j] = std::max(hi[j], static_cast<float>(row[j]));
        }
      }
      offset = lo;
      for (size_t j = 0; j < n; ++j) divisor.push_back(safe_divisor(double{hi[j]} - lo[j]));
      return;
    }
    case PreprocessKind::ZScore: {
      // Two passes (mean, then squared deviations): the one-pass formula cancels catastrophically.
      const double rows = static_cast<double>(x.rows);
      std::vector<double> mean = column_sums(x, {}, false);
      for (double& m : mean) m /= rows;
      std::vector<double> squares = column_sums(x, mean, true);
      for (size_t j = 0; j < n; ++j) {
        offset.push_back(static_cast<float>(mean[j]));
        divisor.push_back(safe_divisor(std::sqrt(squares[j] / rows)));
      }
      return;
    }
  }
  AEKIT_ASSERT(false, "unknown PreprocessKind ", static_cast<int>(kind));
}

}  // namespace

Preprocessor Preprocessor::fit(PreprocessKind kind, const Tensor& x) {
  if (x.rows() == 0 || x.cols() == 0) fail("cannot fit preprocessing on empty data (shape ", shape_string(x.shape()), ")");
  Preprocessor p;
  p.kind_ = kind;
  p.features_ = x.cols();
  fit_values(kind, Values<float>{x.data(), x.rows(), x.cols()}, p.offset_, p.divisor_);
  p.prepare_byte_reciprocals();
  return p;
}

Preprocessor Preprocessor::fit(PreprocessKind kind, const ByteMatrix& x) {
  if (x.rows() == 0 || x.cols() == 0) fail("cannot fit preprocessing on empty data (shape ", shape_string(x.shape()), ")");
  Preprocessor p;
  p.kind_ = kind;
  p.features_ = x.cols();
  fit_values(kind, Values<uint8_t>{x.data(), x.rows(), x.cols()}, p.offset_, p.divisor_);
  p.prepare_byte_reciprocals();
  return p;
}

// The byte path's divisions (a quarter of converting a batch of MNIST rows, vdivps) as a product
// with the reciprocal and one correction step (Markstein's: the remainder x - q d is exact in an
// fma). That gives x / d rounded correctly for most x but not provably for all, so it is used only
// when it does for every value a feature can take: 256 bytes a feature, checked here once.
void Preprocessor::prepare_byte_reciprocals() {
  reciprocal_.clear();
  if (kind_ == PreprocessKind::None) return;
  std::vector<float> reciprocal(divisor_.size());
  for (size_t j = 0; j < divisor_.size(); ++j) {
    reciprocal[j] = 1.0f / divisor_[j];
    if (j > 0 && offset_[j] == offset_[j - 1] && divisor_[j] == divisor_[j - 1]) continue;  // Scale: one check
    for (int b = 0; b < 256; ++b) {
      const float x = static_cast<float>(b) - offset_[j];
      const float exact = x / divisor_[j];
      if (std::bit_cast<uint32_t>(divide_by_reciprocal(x, divisor_[j], reciprocal[j])) != std::bit_cast<uint32_t>(exact))
        return;
    }
  }
  reciprocal_ = std::move(reciprocal);
}

void Preprocessor::check_width(const Tensor& x) const {
  if (features_ != 0 && x.cols() != features_ && x.size() != 0)
    fail("data has ", x.cols(), " features but the preprocessing was fitted on ", features_);
}

void Preprocessor::apply(Tensor& x) const {
  check_width(x);
  if (kind_ == PreprocessKind::None) return;
  for (int64_t r = 0; r < x.rows(); ++r) {
    float* row = x.row(r);
    for (int64_t j = 0; j < features_; ++j) row[j] = (row[j] - offset_[j]) / divisor_[j];
  }
}

void Preprocessor::apply(const uint8_t* bytes, int64_t rows, int64_t cols, float* out) const {
  if (features_ != 0 && cols != features_ && rows != 0)
    fail("data has ", cols, " features but the preprocessing was fitted on ", features_);
  if (kind_ == PreprocessKind::None) {
#pragma omp simd
    for (int64_t i = 0; i < rows * cols; ++i) out[i] = static_cast<float>(bytes[i]);
    return;
  }
  // The expression of apply(Tensor&) on the byte's float value: the same float, bit for bit.
  const float* offset = offset_.data();
  const float* divisor = divisor_.data();
  if (!reciprocal_.empty()) {  // the same floats, without a division (prepare_byte_reciprocals)
    const float* reciprocal = reciprocal_.data();
    for (int64_t r = 0; r < rows; ++r) {
      const uint8_t* src = bytes + r * cols;
      float* dst = out + r * cols;
#pragma omp simd
      for (int64_t j = 0; j < cols; ++j)
        dst[j] = divide_by_reciprocal(static_cast<float>(src[j]) - offset[j], divisor[j], reciprocal[j]);
    }
    return;
  }
  for (int64_t r = 0; r < rows; ++r) {
    const uint8_t* src = bytes + r * cols;
    float* dst = out + r * cols;
#pragma omp simd
    for (int64_t j = 0; j < cols; ++j) dst[j] = (static_cast<float>(src[j]) - offset[j]) / divisor[j];
  }
}

void Preprocessor::invert(Tensor& x) const {
  check_width(x);
  if (kind_ == PreprocessKind::None) return;
  for (int64_t r = 0; r < x.rows(); ++r) {
    float* row = x.row(r);
    for (int64_t j = 0; j < features_; ++j) row[j] = row[j] * divisor_[j] + offset_[j];
  }
}

// The JSON names the statistics by their meaning (max_abs, min/range, mean/std). A constant
// feature's range or std is stored as 1, the divisor actually used.
nlohmann::json Preprocessor::to_json() const {
  nlohmann::json j{{"kind", preprocess_kind_name(kind_)}, {"features", features_}};
  switch (kind_) {
    case PreprocessKind::None:
      break;
    case PreprocessKind::Scale:
      j["max_abs"] = divisor_.at(0);
      break;
    case PreprocessKind::MinMax:
      j["min"] = offset_;
      j["range"] = divisor_;
      break;
    case PreprocessKind::ZScore:
      j["mean"] = offset_;
      j["std"] = divisor_;
      break;
  }
  return j;
}

Preprocessor Preprocessor::from_json(const nlohmann::json& j, const std::string& source) {
  if (!j.is_object()) fail(source, ": preprocessing must be a JSON object");
  const nlohmann::json& kind = field(j, "kind", source);
  if (!kind.is_string()) fail(source, ": preprocessing 'kind' must be a string");
  Preprocessor p;
  try {
    p.kind_ = parse_preprocess_kind(kind.get<std::string>());
  } catch (const InputError& e) {
    fail(source, ": ", e.what());
  }
  const nlohmann::json& features = field(j, "features", source);
  if (!features.is_number_integer() || features.get<int64_t>() < 0 ||
      (p.kind_ != PreprocessKind::None && features.get<int64_t>() == 0))
    fail(source, ": preprocessing 'features' must be a positive integer");
  p.features_ = features.get<int64_t>();
  switch (p.kind_) {
    case PreprocessKind::None:
      break;
    case PreprocessKind::Scale: {
      const nlohmann::json& m = field(j, "max_abs", source);
      // Range-checked before narrowing: get<float>() of 1e300 is undefined behaviour.
      const std::optional<float> max_abs = json_float(m);
      if (!max_abs || !(*max_abs > 0.0f))
        fail(source, ": preprocessing 'max_abs' must be a positive finite number");
      p.offset_.assign(static_cast<size_t>(p.features_), 0.0f);
      p.divisor_.assign(static_cast<size_t>(p.features_), *max_abs);
      break;
    }
    case PreprocessKind::MinMax:
      p.offset_ = finite_vector(j, "min", p.features_, source);
      p.divisor_ = positive_vector(j, "range", p.features_, source);
      break;
    case PreprocessKind::ZScore:
      p.offset_ = finite_vector(j, "mean", p.features_, source);
      p.divisor_ = positive_vector(j, "std", p.features_, source);
      break;
  }
  p.prepare_byte_reciprocals();
  return p;
}

}  // namespace aekit
