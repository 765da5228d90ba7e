#include <aekit/data/detail/npy_header.h>

#include <aekit/core/error.h>

#include <cctype>
#include <charconv>
#include <set>

namespace aekit::data_detail {

namespace {

class HeaderParser {
 public:
  HeaderParser(std::string_view text, const std::string& name) : text_(text), name_(name) {}

  NpyHeader parse() {
    NpyHeader header;
    std::set<std::string> seen;
    expect('{');
    while (!accept('}')) {
      std::string key = string_literal();
      expect(':');
      if (!seen.insert(key).second) error("key '" + key + "' appears twice");
      if (key == "descr") {
        header.descr = string_literal();
      } else if (key == "fortran_order") {
        header.fortran_order = boolean();
      } else if (key == "shape") {
        header.shape = shape_tuple();
      } else {
        error("unexpected key '" + key + "' (expected descr, fortran_order and shape)");
      }
      if (!accept(',')) {
        expect('}');
        break;
      }
    }
    skip_space();
    if (pos_ != text_.size()) error("unexpected text after the closing '}'");
    for (const char* key : {"descr", "fortran_order", "shape"})
      if (!seen.count(key)) error(std::string("missing key '") + key + "'");
    return header;
  }

 private:
  [[noreturn]] void error(const std::string& what) const {
    fail(name_, ": bad .npy header: ", what, " (at character ", pos_, " of \"", text_, "\")");
  }

  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  bool accept(char c) {
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  void expect(char c) {
    if (!accept(c)) error(std::string("expected '") + c + "'");
  }

  std::string string_literal() {
    skip_space();
    if (pos_ >= text_.size() || (text_[pos_] != '\'' && text_[pos_] != '"'))
      error("expected a quoted string");
    const char quote = text_[pos_++];
    const size_t end = text_.find(quote, pos_);
    if (end == std::string_view::npos) error("unterminated string");
    std::string s(text_.substr(pos_, end - pos_));
    pos_ = end + 1;
    return s;
  }

  bool boolean() {
    skip_space();
    for (auto [word, value] : {std::pair{std::string_view("True"), true}, {"False", false}}) {
      if (text_.substr(pos_, word.size()) == word) {
        pos_ += word.size();
        return value;
      }
    }
    error("expected True or False");
  }

  Shape shape_tuple() {
    Shape shape;
    expect('(');
    while (!accept(')')) {
      skip_space();
      int64_t d = -1;
      auto [end, ec] = std::from_chars(text_.data() + pos_, text_.data() + text_.size(), d);
      if (ec != std::errc() || d < 0) error("expected a non-negative dimension");
      pos_ = static_cast<size_t>(end - text_.data());
      shape.push_back(d);
      if (shape.size() > 4) error("more than 4 dimensions are not supported");
      if (!accept(',')) {
        // Python needs the comma in a 1-tuple; "(5)" is the integer 5, not a shape.
        if (shape.size() == 1) error("a 1-D shape is written (n,)");
        expect(')');
        break;
      }
    }
    return shape;
  }

  std::string_view text_;
  const std::string& name_;
  size_t pos_ = 0;
};

}  // namespace

NpyHeader parse_npy_header(std::string_view text, const std::string& name) {
  // Trailing spaces and the newline are padding.
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return HeaderParser(text, name).parse();
}

std::string format_npy_header(const std::string& descr, const Shape& shape) {
  std::string dims;
  for (size_t i = 0; i < shape.size(); ++i) dims += (i ? ", " : "") + std::to_string(shape[i]);
  if (shape.size() == 1) dims += ",";
  return "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
}

}  // namespace aekit::data_detail
