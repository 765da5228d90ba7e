#include <aekit/core/rng.h>

#include <cmath>

namespace aekit {

float Rng::normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  double u1 = 0.0;
  while (u1 <= 0.0) u1 = static_cast<double>(engine_() >> 11) * 0x1.0p-53;
  double u2 = static_cast<double>(engine_() >> 11) * 0x1.0p-53;
  double radius = std::sqrt(-2.0 * std::log(u1));
  double angle = 2.0 * M_PI * u2;
  spare_ = static_cast<float>(radius * std::sin(angle));
  has_spare_ = true;
  return static_cast<float>(radius * std::cos(angle));
}

uint64_t Rng::below(uint64_t n) {
  // Rejection sampling removes the modulo bias.
  uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  uint64_t x;
  do x = engine_();
  while (x >= limit);
  return x % n;
}

}  // namespace aekit
