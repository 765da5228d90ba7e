// The titles reader (aekit/recsys/titles.h) of `aekit recommend --titles`: any text gives a map of
// id -> title or an InputError. Its three layouts (u.item's '|', movies.dat's '::', movies.csv's
// quoted CSV cells) are chosen per line by what follows the leading id, and a first line may be a
// header or movies_metadata.csv's, so one harness reaches all of them.
#include <aekit/core/error.h>
#include <aekit/recsys/titles.h>

#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto titles = aekit::parse_titles(text, "fuzz.csv");
    if (titles.empty()) __builtin_trap();  // an empty map is refused, never returned
  } catch (const aekit::InputError&) {
  }
  return 0;
}
