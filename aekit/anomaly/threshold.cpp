#include <aekit/anomaly/threshold.h>

#include <aekit/core/error.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <vector>

namespace aekit {

double quantile(std::span<const double> values, double q) {
  if (values.empty()) fail("cannot take a quantile of no scores");
  AEKIT_ASSERT(q >= 0.0 && q <= 1.0);
  std::vector<double> sorted(values.begin(), values.end());
  std::sort(sorted.begin(), sorted.end());
  const double position = q * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<size_t>(std::floor(position));
  const size_t above = std::min(below + 1, sorted.size() - 1);
  const double fraction = position - static_cast<double>(below);
  return sorted[below] + fraction * (sorted[above] - sorted[below]);
}

double median_absolute_deviation(std::span<const double> values) {
  const double median = quantile(values, 0.5);
  std::vector<double> deviations(values.size());
  std::transform(values.begin(), values.end(), deviations.begin(), [&](double v) { return std::fabs(v - median); });
  return quantile(deviations, 0.5);
}

ThresholdRule ThresholdRule::parse(double contamination, const std::string& threshold) {
  ThresholdRule rule;
  if (!(contamination >= 0.0 && contamination < 0.5))
    fail("--contamination must be in (0, 0.5) (the expected fraction of anomalies), got ", contamination);
  if (contamination > 0.0) {
    if (threshold != "auto" && !threshold.empty())
      fail("give --contamination or --threshold, not both (--threshold ", threshold, ")");
    rule.kind_ = Kind::Contamination;
    rule.parameter_ = contamination;
    return rule;
  }
  if (threshold == "auto" || threshold.empty()) return rule;
  double value = 0;
  auto [end, ec] = std::from_chars(threshold.data(), threshold.data() + threshold.size(), value);
  if (ec != std::errc() || end != threshold.data() + threshold.size() || !std::isfinite(value))
    fail("--threshold: '", threshold, "' is neither auto nor a finite number");
  rule.kind_ = Kind::Value;
  rule.parameter_ = value;
  return rule;
}

double ThresholdRule::apply(std::span<const double> scores) const {
  switch (kind_) {
    case Kind::Value: return parameter_;
    case Kind::Contamination: return quantile(scores, 1.0 - parameter_);
    case Kind::Auto: break;
  }
  return quantile(scores, 0.5) + kAutoThresholdMads * kMadToStd * median_absolute_deviation(scores);
}

std::string ThresholdRule::describe() const {
  switch (kind_) {
    case Kind::Value: return detail::concat("value ", parameter_);
    case Kind::Contamination: return detail::concat("contamination ", parameter_);
    case Kind::Auto: break;
  }
  return "auto (median + 3 MAD)";
}

}  // namespace aekit
