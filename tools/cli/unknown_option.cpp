#include "unknown_option.h"

#include <algorithm>
#include <vector>

namespace aekit::cli {

size_t edit_distance(const std::string& a, const std::string& b) {
  // Optimal string alignment: a transposed pair ("--epcohs") is one edit, as people make them.
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i)
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

namespace {

// The verb named on the command line (the first argument that is a subcommand's name).
CLI::App* given_verb(CLI::App& app, int argc, char** argv) {
  for (int i = 1; i < argc; ++i)
    for (CLI::App* verb : app.get_subcommands([](CLI::App*) { return true; }))
      if (verb->get_name() == argv[i]) return verb;
  return nullptr;
}

bool has_option(const CLI::App& verb, const std::string& name) {
  for (const CLI::Option* option : verb.get_options())
    for (const std::string& long_name : option->get_lnames())
      if (long_name == name) return true;
  return name == "help";
}

// The valid option nearest to `name`, or "" when none is near enough to be what was meant.
std::string closest_option(const CLI::App& verb, const std::string& name) {
  std::string best;
  size_t best_distance = std::max<size_t>(2, name.size() / 3) + 1;  // further than this is a guess
  for (const CLI::Option* option : verb.get_options())
    for (const std::string& long_name : option->get_lnames()) {
      // A prefix ("--epoch" for "--epochs") is the commonest slip; count it as one edit.
      const bool prefix = long_name.size() > name.size() && long_name.compare(0, name.size(), name) == 0;
      const size_t distance = prefix ? 1 : edit_distance(name, long_name);
      if (distance < best_distance) best_distance = distance, best = long_name;
    }
  return best;
}

}  // namespace

std::string unknown_option_message(CLI::App& app, int argc, char** argv) {
  CLI::App* verb = given_verb(app, argc, argv);
  if (verb == nullptr) return "";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.size() < 3 || arg.compare(0, 2, "--") != 0) continue;
    const std::string name = arg.substr(2, arg.find('=') == std::string::npos ? std::string::npos : arg.find('=') - 2);
    if (has_option(*verb, name)) continue;
    const std::string command = "aekit " + verb->get_name();
    std::string message = "unknown option --" + name + " for '" + command + "'";
    if (const std::string near = closest_option(*verb, name); !near.empty()) message += "; did you mean --" + near + "?";
    return message + " (see " + command + " --help)";
  }
  return "";
}

}  // namespace aekit::cli
