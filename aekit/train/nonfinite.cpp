#include <aekit/train/nonfinite.h>

#include <bit>
#include <cmath>
#include <cstdint>

namespace aekit {

bool all_finite(const std::vector<Param>& params) {
  for (const Param& p : params) {
    const float* data = p.value->data();
    const int64_t n = p.value->size();
    // Inf and NaN are the floats whose exponent bits are all set: an OR over the elements, with no
    // branch and no ordered floating-point sum, vectorises (a double sum of x * 0 did not, and
    // took a quarter of mult-vae's training time on its 11 million weights).
    uint32_t bad = 0;
#pragma omp parallel for reduction(| : bad) schedule(static) if (n >= (int64_t{1} << 20))
    for (int64_t i = 0; i < n; ++i)
      bad |= static_cast<uint32_t>((std::bit_cast<uint32_t>(data[i]) & 0x7f800000u) == 0x7f800000u);
    if (bad != 0) return false;
  }
  return true;
}

}  // namespace aekit
