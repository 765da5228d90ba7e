#pragma once
// "did you mean --epochs?": turns CLI11's "The following argument was not expected: --epoch"
// into one line that names the verb, the closest valid option and the verb's own help.
#include <CLI/CLI.hpp>
#include <string>

namespace aekit::cli {

// The message for an unknown option among argv, or "" when no argument of argv is an unknown
// `--option` of the verb it was given to (the caller then prints CLI11's own message).
std::string unknown_option_message(CLI::App& app, int argc, char** argv);

// Edit distance (insertions, deletions, substitutions, transpositions of neighbours); exposed for
// the suggestions' ranking only.
size_t edit_distance(const std::string& a, const std::string& b);

}  // namespace aekit::cli
