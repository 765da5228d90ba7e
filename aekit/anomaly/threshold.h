#pragma once
// The score above which a sample is called an anomaly, chosen from the scores of the training
// data (which are assumed mostly normal):
//   contamination F   the (1 - F) quantile of the training scores, so a fraction F of them lies
//                     above it (numpy's linear interpolation, as PyOD's percentile threshold);
//   auto              median + 3 * 1.4826 * MAD of the training scores: a robust "three standard
//                     deviations above the typical score" that needs no guessed contamination
//                     (1.4826 * MAD estimates the standard deviation of normal data; outliers in
//                     the training data barely move it, unlike the mean and standard deviation);
//   a number          that value, as given.
#include <span>
#include <string>

namespace aekit {

// The q quantile (0 <= q <= 1) of `values` with linear interpolation between order statistics,
// as numpy.quantile's default. InputError when values is empty.
double quantile(std::span<const double> values, double q);

// Median absolute deviation from the median.
double median_absolute_deviation(std::span<const double> values);

inline constexpr double kAutoThresholdMads = 3.0;
inline constexpr double kMadToStd = 1.4826;  // 1 / Phi^-1(3/4): MAD of a normal -> its std

class ThresholdRule {
 public:
  enum class Kind { Auto, Contamination, Value };

  // From the options' text: contamination > 0 selects the quantile rule (then `threshold` must
  // be "auto"); otherwise `threshold` is "auto" or a finite number. InputError naming the flag.
  static ThresholdRule parse(double contamination, const std::string& threshold);
  static ThresholdRule automatic() { return {}; }

  Kind kind() const { return kind_; }
  double parameter() const { return parameter_; }  // the contamination or the value
  // The threshold for these (training) scores; InputError when there are none.
  double apply(std::span<const double> scores) const;
  // "auto (median + 3 MAD)", "contamination 0.05", "value 0.12".
  std::string describe() const;

 private:
  Kind kind_ = Kind::Auto;
  double parameter_ = 0;
};

}  // namespace aekit
