#pragma once
// Reads a PyTorch fixture from tests/fixtures/optim/ (made by scripts/make-optim-fixtures.py).
// A missing fixture throws, so the test fails rather than skips.
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace aekit::test {

inline nlohmann::json load_optim_fixture(const std::string& file) {
  const std::string path = std::string(AEKIT_SOURCE_DIR) + "/tests/fixtures/optim/" + file;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("missing fixture " + path + "; run scripts/make-optim-fixtures.py");
  return nlohmann::json::parse(in);
}

}  // namespace aekit::test
