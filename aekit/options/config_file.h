#pragma once
// Config files for `aekit train --config FILE`: one `key = value` per line, keys named as the
// flags (dashes or underscores), values optionally in double quotes, `#` starts a comment, and
// an optional `[train]` section header is accepted. Relative paths (--data, --out, ...) are taken
// from the config file's directory. Written by hand rather than through CLI11's
// config support so that every error names the file and line, and unknown keys are errors.
#include <map>
#include <string>

namespace aekit {

// key (with dashes) -> value text, validated against the train option table.
std::map<std::string, std::string> read_train_config(const std::string& path);

}  // namespace aekit
