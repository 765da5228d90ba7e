#include <aekit/options/config_file.h>

#include <aekit/core/error.h>
#include <aekit/options/train_options.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace aekit {

namespace {

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

// A file named in a config file is found beside the config file, wherever aekit runs from, as
// cargo and compose files do. Dataset names (mnist:train, movielens-small) have no '/' or '.';
// such a word stays a name unless a file of that name is beside the config file.
std::string beside_config(const std::string& value, const std::filesystem::path& config_dir) {
  namespace fs = std::filesystem;
  if (value.empty() || fs::path(value).is_absolute()) return value;
  const fs::path beside = config_dir / value;
  std::error_code ec;
  if (value.find_first_of("/.") == std::string::npos && !fs::exists(beside, ec)) return value;
  return beside.lexically_normal().string();
}

}  // namespace

std::map<std::string, std::string> read_train_config(const std::string& path) {
  std::ifstream in(path);
  if (!in) fail(path, ": cannot open: ", std::strerror(errno));
  std::map<std::string, std::string> values;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    std::string text = line;
    bool quoted = false;
    for (size_t i = 0; i < text.size(); ++i) {  // cut a comment that is not inside quotes
      if (text[i] == '"') quoted = !quoted;
      if (text[i] == '#' && !quoted) {
        text.resize(i);
        break;
      }
    }
    text = trim(text);
    if (text.empty() || text == "[train]") continue;
    const auto eq = text.find('=');
    if (eq == std::string::npos) fail(path, ":", number, ": expected 'key = value', got '", text, "'");
    std::string key = trim(text.substr(0, eq));
    std::string value = trim(text.substr(eq + 1));
    std::replace(key.begin(), key.end(), '_', '-');
    const OptionDef* def = find_train_option(key);
    if (def == nullptr) fail(path, ":", number, ": unknown option '", key, "'");
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    else if (!value.empty() && (value.front() == '"' || value.back() == '"'))
      fail(path, ":", number, ": unbalanced quotes in '", value, "'");
    if (key == "config") fail(path, ":", number, ": config files cannot include other config files");
    values[key] = names_a_file(*def) ? beside_config(value, std::filesystem::path(path).parent_path()) : value;
  }
  return values;
}

}  // namespace aekit
