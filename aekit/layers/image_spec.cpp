#include <aekit/layers/image_spec.h>

#include <aekit/core/error.h>

#include <charconv>

namespace aekit {

namespace {

int64_t extent_part(const std::string& text, const LayerSpec& spec, const std::string& key) {
  int64_t v = -1;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < 0 || v > (int64_t{1} << 16))
    fail("layer ", spec.kind, ": option '", key, "' must be a number or HxW, got '", text, "'");
  return v;
}

}  // namespace

Extent2 extent_option(const LayerSpec& spec, const std::string& key, Extent2 fallback) {
  auto it = spec.options.find(key);
  if (it == spec.options.end()) return fallback;
  if (it->is_number_integer()) return Extent2(extent_part(std::to_string(it->get<int64_t>()), spec, key));
  if (!it->is_string())
    fail("layer ", spec.kind, ": option '", key, "' must be a number or HxW, got ", it->dump());
  const std::string text = it->get<std::string>();
  const size_t x = text.find('x');
  if (x == std::string::npos) return Extent2(extent_part(text, spec, key));
  return {extent_part(text.substr(0, x), spec, key), extent_part(text.substr(x + 1), spec, key)};
}

ImageShape image_input(const LayerSpec& spec, const Shape& in) {
  if (in.size() != 3) {
    int64_t values = 1;
    for (int64_t d : in) values *= d;
    fail("layer ", spec.kind, " needs images (C x H x W) but gets ", values,
         " values per sample; give --input-shape CxHxW, or put a reshape before it");
  }
  return {in[0], in[1], in[2]};
}

}  // namespace aekit
