#pragma once
// Feature scaling fitted on the training data and stored with the model, so that encoding,
// scoring and reconstruction see inputs scaled exactly as in training. Rows are samples, columns
// features (a tensor with more than 2 dimensions is seen as rows x product of the rest).
#include <aekit/core/tensor.h>
#include <aekit/data/byte_matrix.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace aekit {

enum class PreprocessKind {
  None,    // identity
  Scale,   // x / max|x| over all training values: uint8 images 0..255 become 0..1
  MinMax,  // per feature (x - min) / (max - min); a constant feature maps to 0
  ZScore,  // per feature (x - mean) / std, population std; a constant feature maps to 0
};

// "none", "scale", "minmax", "zscore".
const char* preprocess_kind_name(PreprocessKind kind);
// Throws InputError listing the valid names.
PreprocessKind parse_preprocess_kind(const std::string& name);
// As parse_preprocess_kind, and "auto": Scale for images, MinMax otherwise.
PreprocessKind choose_preprocess_kind(const std::string& name, bool images);

class Preprocessor {
 public:
  // The identity, accepting any number of features.
  Preprocessor() = default;

  // Throws InputError when x has no rows (nothing to fit on).
  static Preprocessor fit(PreprocessKind kind, const Tensor& x);
  // The same statistics from bytes as from the same values held as floats.
  static Preprocessor fit(PreprocessKind kind, const ByteMatrix& x);

  // In place. Throws InputError when x.cols() differs from features() (unless features() is 0).
  void apply(Tensor& x) const;
  // `rows` rows of features() bytes (any width for None), converted and preprocessed into `out`:
  // the same floats apply() gives for the same values held as floats.
  void apply(const uint8_t* bytes, int64_t rows, int64_t cols, float* out) const;
  // The inverse of apply, to show decoded outputs in the units of the data.
  void invert(Tensor& x) const;

  PreprocessKind kind() const { return kind_; }
  int64_t features() const { return features_; }  // 0: not tied to a width (the identity)

  // {"kind": k, "features": n} plus "max_abs" (scale), "min" and "range" (minmax) or "mean" and
  // "std" (zscore); a constant feature's range or std is stored as 1, the divisor in use.
  nlohmann::json to_json() const;
  // Validates everything; errors are InputError naming `source`.
  static Preprocessor from_json(const nlohmann::json& j, const std::string& source);

 private:
  void check_width(const Tensor& x) const;
  void prepare_byte_reciprocals();


  PreprocessKind kind_ = PreprocessKind::None;
  int64_t features_ = 0;
  // apply computes (x - offset[j]) / divisor[j]; Scale keeps one shared divisor and no offset.
  std::vector<float> offset_;
  std::vector<float> divisor_;
  // For bytes: 1 / divisor[j], used only where it gives the division's float for every one of the
  // 256 byte values of every feature (checked once, when the statistics are set; empty otherwise).
  std::vector<float> reciprocal_;
};

}  // namespace aekit
