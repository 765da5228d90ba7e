// aekit train --flush-denormals: accepted as a boolean, said in the banner, and checked like every
// flag before the data is read.
#include "cli_runner.h"

namespace aekit::test {
namespace {

TEST(CliDenormals, FlushingIsAnnouncedAndItsValueChecked) {
  ScratchDir dir;
  write_uniform_csv(dir / "d.csv", 40, 6, 3);
  const std::string train = "train --data d.csv --arch 6-3 --epochs 2 --seed 1 --out m.aek";
  const std::string note = "subnormal floats are flushed to zero (--flush-denormals)";
  auto on = run_aekit(dir, train + " --flush-denormals");
  ASSERT_EQ(on.exit_code, 0) << on.err;
  EXPECT_NE(on.err.find(note), std::string::npos) << on.err;
  auto off = run_aekit(dir, train + " --flush-denormals false");
  ASSERT_EQ(off.exit_code, 0) << off.err;
  EXPECT_EQ(off.err.find(note), std::string::npos) << off.err;
  auto bad = run_aekit(dir, "train --data missing.csv --out m.aek --flush-denormals sometimes");
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
  EXPECT_NE(bad.err.find("--flush-denormals"), std::string::npos) << bad.err;
  EXPECT_EQ(bad.err.find("missing.csv"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace aekit::test
