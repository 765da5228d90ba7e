#include <aekit/models/feature_names.h>

#include <aekit/core/error.h>
#include <aekit/core/printable.h>

#include <algorithm>
#include <set>

namespace aekit {

namespace {

// "a, b, c" of at most 10 names.
std::string listing(const std::vector<std::string>& names) {
  std::string text;
  for (size_t i = 0; i < names.size() && i < 10; ++i) text += (i ? ", " : "") + printable(names[i]);
  if (names.size() > 10) text += ", ... (" + std::to_string(names.size()) + " in all)";
  return text;
}

std::vector<std::string> missing_from(const std::vector<std::string>& names, const std::vector<std::string>& in) {
  const std::set<std::string> present(in.begin(), in.end());
  std::vector<std::string> missing;
  for (const std::string& n : names)
    if (!present.count(n)) missing.push_back(n);
  return missing;
}

}  // namespace

void check_feature_names(const std::vector<std::string>& expected, const Dataset& data, const std::string& against) {
  const std::vector<std::string>& found = data.feature_names;
  if (expected.empty() || found.empty() || expected == found) return;
  const std::vector<std::string> extra = missing_from(found, expected);
  const std::vector<std::string> missing = missing_from(expected, found);
  if (!extra.empty() || !missing.empty()) {
    std::string message = data.source + ": its columns differ from those of " + against + ":";
    if (!missing.empty()) message += " it lacks " + listing(missing) + ";";
    if (!extra.empty()) message += " it has " + listing(extra) + " besides (--drop-columns or --label-column leaves them out);";
    message.back() = ' ';
    fail(message, "(", against, " has ", listing(expected), ")");
  }
  if (found.size() != expected.size())  // the same names, some repeated
    fail(data.source, ": has ", found.size(), " feature columns but ", against, " has ", expected.size(), " (",
         listing(expected), ")");
  std::string in_order;
  for (const std::string& name : expected) {  // appended, not "," + ...: GCC 12's -Wrestrict false positive
    if (!in_order.empty()) in_order += ',';
    in_order += printable(name);
  }
  for (size_t i = 0; i < expected.size(); ++i)
    if (found[i] != expected[i])
      fail(data.source, ": its columns are in another order than those of ", against, ": feature ", i, " is '",
           printable(found[i]), "' where ", against, " has '", printable(expected[i]), "' (--columns ",
           expected.size() <= 10 ? in_order : std::string("with the model's names in order"), " reorders them)");
}

}  // namespace aekit
