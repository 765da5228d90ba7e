#pragma once
// Messages quote bytes from files (a CSV cell, a JSON key, a file name). Printed raw, those bytes
// could hold terminal escape sequences or break the one-line rule; printable() shows every control
// character and every byte that is not part of valid UTF-8 as \xNN, and keeps the rest as it is.
#include <string>
#include <string_view>

namespace aekit {

std::string printable(std::string_view text);

}  // namespace aekit
