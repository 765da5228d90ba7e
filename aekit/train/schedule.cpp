#include <aekit/train/schedule.h>

#include <aekit/core/error.h>
#include <aekit/train/optimizers/python_scalar.h>

#include <charconv>
#include <cmath>
#include <numbers>
#include <string_view>
#include <vector>

namespace aekit {
namespace {

constexpr const char* kSyntax =
    "expected constant, step:STEP_SIZE:GAMMA (e.g. step:10:0.5), cosine or cosine:ETA_MIN";

std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  for (size_t start = 0;;) {
    const size_t end = text.find(sep, start);
    parts.push_back(text.substr(start, end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

// The whole of `text` as a number, or InputError naming the spec and the syntax.
template <typename Number>
Number parse_number(std::string_view text, const std::string& spec) {
  Number value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size())
    fail("lr schedule '", spec, "': '", text, "' is not a number; ", kSyntax);
  return value;
}

}  // namespace

LrSchedule LrSchedule::parse(const std::string& spec, float base_lr, int epochs) {
  // Schedules work in double, like PyTorch's Python floats, from the rate the user typed.
  const double base = detail::python_float(base_lr);
  const std::vector<std::string_view> parts = split(spec, ':');
  if (spec == "constant") return {Kind::Constant, base};
  if (parts[0] == "step" && parts.size() == 3) {
    LrSchedule s(Kind::Step, base);
    s.step_size_ = parse_number<int>(parts[1], spec);
    s.gamma_ = detail::python_float(parse_number<float>(parts[2], spec));
    if (s.step_size_ < 1 || !(s.gamma_ > 0))
      fail("lr schedule '", spec, "': step size must be >= 1 and gamma > 0; ", kSyntax);
    return s;
  }
  if (parts[0] == "cosine" && parts.size() <= 2) {
    LrSchedule s(Kind::Cosine, base);
    if (epochs < 1) fail("lr schedule '", spec, "': cosine needs at least 1 epoch, got ", epochs);
    s.t_max_ = epochs;
    if (parts.size() == 2) s.eta_min_ = detail::python_float(parse_number<float>(parts[1], spec));
    if (!(s.eta_min_ >= 0)) fail("lr schedule '", spec, "': eta_min must be >= 0; ", kSyntax);
    return s;
  }
  fail("lr schedule '", spec, "': ", kSyntax);
}

float LrSchedule::lr_at(int epoch) const {
  AEKIT_ASSERT(epoch >= 0, "epoch ", epoch);
  switch (kind_) {
    case Kind::Constant:
      return static_cast<float>(base_lr_);
    case Kind::Step:
      return static_cast<float>(base_lr_ * std::pow(gamma_, epoch / step_size_));
    case Kind::Cosine:
      return static_cast<float>(
          eta_min_ + (base_lr_ - eta_min_) *
                         (1 + std::cos(std::numbers::pi * epoch / t_max_)) / 2);
  }
  AEKIT_ASSERT(false, "unknown schedule kind");
  return 0.0f;
}

}  // namespace aekit
