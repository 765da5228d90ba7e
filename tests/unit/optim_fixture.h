#pragma once
// Reads a PyTorch fixture from tests/fixtures/optim/ (made by scripts/make-optim-fixtures.py).
// A missing fixture throws, so the test fails rather than skips.
#include "torch_fixture.h"

namespace aekit::test {

inline nlohmann::json load_optim_fixture(const std::string& file) {
  return load_torch_fixture("optim", file, "make-optim-fixtures.py");
}

}  // namespace aekit::test
