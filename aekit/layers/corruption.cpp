#include <aekit/layers/corruption.h>

#include <aekit/core/error.h>

#include <algorithm>
#include <charconv>

namespace aekit {

Corruption Corruption::make(const std::string& kind, double level) {
  Corruption c;
  if (kind == "gaussian")
    c.kind = CorruptionKind::Gaussian;
  else if (kind == "masking")
    c.kind = CorruptionKind::Masking;
  else if (kind == "salt_pepper" || kind == "salt-and-pepper")
    c.kind = CorruptionKind::SaltPepper;
  else
    fail("unknown corruption '", kind, "' (valid: gaussian, masking, salt_pepper)");
  if (!(level >= 0.0) || (c.kind != CorruptionKind::Gaussian && level > 1.0) || level > 1e6)
    fail("corruption level ", level, " is out of range (", kind,
         c.kind == CorruptionKind::Gaussian ? " takes a standard deviation >= 0)" : " takes a fraction in [0, 1])");
  c.level = level;
  return c;
}

Corruption Corruption::parse(const std::string& text) {
  const size_t colon = text.find(':');
  if (colon == std::string::npos) fail("corruption '", text, "': expected KIND:LEVEL, e.g. gaussian:0.3 or masking:0.25");
  double level = 0;
  const char* begin = text.data() + colon + 1;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(begin, end, level);
  if (ec != std::errc() || ptr != end || begin == end)
    fail("corruption '", text, "': '", text.substr(colon + 1), "' is not a number");
  return make(text.substr(0, colon), level);
}

std::string Corruption::kind_name() const {
  switch (kind) {
    case CorruptionKind::Gaussian: return "gaussian";
    case CorruptionKind::Masking: return "masking";
    case CorruptionKind::SaltPepper: return "salt_pepper";
  }
  return "?";
}

void corrupt_values(MatrixView x, const Corruption& c, Rng& rng, Tensor* mask) {
  if (mask) {
    mask->resize({x.rows, x.cols});
    mask->fill(1.0f);
  }
  const auto level = static_cast<float>(c.level);
  // Serial draws from one generator: the same seed corrupts the same way on any thread count.
  for (int64_t i = 0; i < x.size(); ++i) {
    switch (c.kind) {
      case CorruptionKind::Gaussian:
        x.data[i] += rng.normal(0.0f, level);
        break;
      case CorruptionKind::Masking:
        if (rng.uniform() < level) {
          x.data[i] = 0.0f;
          if (mask) (*mask)[i] = 0.0f;
        }
        break;
      case CorruptionKind::SaltPepper:
        if (rng.uniform() < level) {
          x.data[i] = rng.uniform() < 0.5f ? 0.0f : 1.0f;
          if (mask) (*mask)[i] = 0.0f;
        }
        break;
    }
  }
}

void Corrupt::forward(ConstMatrixView x, Tensor& y, Mode mode) {
  y.resize({x.rows, x.cols});
  std::copy_n(x.data, x.size(), y.data());
  masked_ = mode == Mode::Train && c_.kind != CorruptionKind::Gaussian;
  if (mode == Mode::Train) corrupt_values(y.view(), c_, rng_, masked_ ? &mask_ : nullptr);
}

void Corrupt::backward(ConstMatrixView dy, Tensor* dx) {
  if (!dx) return;
  dx->resize({dy.rows, dy.cols});
  for (int64_t i = 0; i < dy.size(); ++i) (*dx)[i] = masked_ ? dy.data[i] * mask_[i] : dy.data[i];
}

LayerPlan plan_corrupt(const LayerSpec& spec, const Shape& in_shape) {
  spec.check_options({"noise", "level"});
  Corruption::make(spec.text("noise", "gaussian"), spec.number("level"));
  return {in_shape, {}, {}};
}

BuiltLayer build_corrupt(const LayerBuild& b) {
  b.spec.check_options({"noise", "level"});
  const Corruption c = Corruption::make(b.spec.text("noise", "gaussian"), b.spec.number("level"));
  return {std::make_unique<Corrupt>(shape_size(b.in_shape), c, b.rng.next_u64()), b.in_shape};
}

}  // namespace aekit
