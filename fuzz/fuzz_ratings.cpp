// The rating-file reader (aekit/recsys/rating_file.h) and the matrix built from what it accepts:
// any text gives ratings or an InputError. The first byte picks the reader (whole rating files or
// a new user's item,rating lines) and whether a rating range is declared, so the range checks are
// explored too.
#include <aekit/core/error.h>
#include <aekit/recsys/rating_file.h>
#include <aekit/recsys/rating_matrix.h>

#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t mode = data[0];
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  aekit::RatingRange range;
  if (mode & 2) range = aekit::parse_rating_range("1:5");
  try {
    if (mode & 1) {
      aekit::parse_item_ratings(text, "fuzz.csv", range);
    } else {
      const std::vector<aekit::Rating> ratings = aekit::parse_ratings(text, "fuzz.csv", range);
      aekit::build_rating_matrix(ratings, ratings);
    }
  } catch (const aekit::InputError&) {
  }
  return 0;
}
