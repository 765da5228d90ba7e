// The CSV/TSV reader: any text gives a matrix or an InputError. The first byte picks the options
// (delimiter and header mode), so every mode is explored, not only detection.
#include <aekit/core/error.h>
#include <aekit/data/csv.h>

#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  aekit::CsvOptions options;
  constexpr char kDelimiters[] = {0, ',', '\t', ';', ' '};
  options.delimiter = kDelimiters[data[0] % 5];
  options.header = data[0] / 5 % 3 == 0 ? aekit::HeaderMode::Auto
                   : data[0] / 5 % 3 == 1 ? aekit::HeaderMode::Yes
                                          : aekit::HeaderMode::No;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    aekit::parse_csv(text, data[0] % 2 ? "fuzz.tsv" : "fuzz.csv", options);
  } catch (const aekit::InputError&) {
  }
  return 0;
}
