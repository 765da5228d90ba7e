#pragma once
// The lines of a rating or title file as its readers see them: a leading UTF-8 byte-order mark
// skipped, "\r\n" and "\n" both ending a line, lines numbered from 1 for error messages.
#include <cstdint>
#include <string_view>

namespace aekit {

// Calls visit(line_no, line) for every line, the line without its terminator.
template <typename Visit>
void for_each_line(std::string_view text, Visit&& visit) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  int64_t line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    visit(line_no, line);
  }
}

}  // namespace aekit
