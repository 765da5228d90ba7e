#include <aekit/core/precision.h>

#include <aekit/core/error.h>

namespace aekit {

Precision parse_precision(const std::string& name) {
  if (name == "fp32") return Precision::Fp32;
  if (name == "bf16") return Precision::Bf16;
  fail("unknown precision '", name, "' (valid: fp32, bf16)");
}

const char* precision_name(Precision p) { return p == Precision::Bf16 ? "bf16" : "fp32"; }

}  // namespace aekit
