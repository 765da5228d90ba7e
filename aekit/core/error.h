#pragma once
// Two tiers of errors (see STYLE.md):
//  - InputError: the user's input is wrong (a file, a flag, a shape). The message is one line that
//    says what and where; the CLI prints it and exits with code 2.
//  - AEKIT_ASSERT: a broken internal invariant, i.e. a bug in aekit. It throws InternalError,
//    which the CLI reports with exit code 1.
#include <aekit/core/printable.h>

#include <sstream>
#include <stdexcept>
#include <string>

namespace aekit {

class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class InternalError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

namespace detail {
template <typename... Parts>
std::string concat(const Parts&... parts) {
  std::ostringstream out;
  (out << ... << parts);
  return out.str();
}
}  // namespace detail

// Throws InputError with the parts streamed together: fail("file.csv:3: expected 4 cells, got ", n).
// Parts often quote bytes from files; printable() escapes control bytes (a NUL would cut the
// message short, an escape sequence would reach the terminal) and invalid UTF-8.
template <typename... Parts>
[[noreturn]] void fail(const Parts&... parts) {
  throw InputError(printable(detail::concat(parts...)));
}

}  // namespace aekit

#define AEKIT_ASSERT(cond, ...)                                                              \
  do {                                                                                       \
    if (!(cond))                                                                             \
      throw ::aekit::InternalError(::aekit::detail::concat(__FILE__, ":", __LINE__,          \
                                                           ": internal check failed: " #cond \
                                                           " " __VA_OPT__(, ) __VA_ARGS__)); \
  } while (0)
