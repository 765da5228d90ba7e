// Everyday hazards at the command line: an output that is also an input, flag values that make no
// sense (checked before any data is loaded), raw bytes from files in messages.
#include "cli_runner.h"

namespace aekit::test {
namespace {

void write_small_csv(const std::string& path) {
  std::string csv;
  for (int r = 0; r < 20; ++r) csv += std::to_string(r % 5) + "," + std::to_string(r % 3) + ",1,2\n";
  write_text(path, csv);
}

TEST(CliHazards, OutputThatIsAlsoTheDataIsRefused) {
  ScratchDir dir;
  write_small_csv(dir / "in.csv");
  const std::string data = slurp(dir / "in.csv");
  for (const char* out : {"in.csv", "./in.csv"}) {
    auto r = run_aekit(dir, std::string("train --data in.csv --arch 4-2 --epochs 1 --out ") + out);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("is also an input (in.csv); writing it would destroy it"), std::string::npos) << r.err;
    EXPECT_EQ(slurp(dir / "in.csv"), data);
  }
  ASSERT_EQ(run_aekit(dir, "train --data in.csv --arch 4-2 --epochs 1 --out m.aek").exit_code, 0);
  auto r = run_aekit(dir, "encode m.aek --data in.csv --out in.csv");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(slurp(dir / "in.csv"), data);
  r = run_aekit(dir, "reconstruct m.aek --data in.csv --out m.aek");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("is also an input (m.aek)"), std::string::npos) << r.err;
}

TEST(CliHazards, FlagValuesAreCheckedBeforeTheDataIsLoaded) {
  // The data file does not exist: a flag error proves the flags were checked first.
  ScratchDir dir;
  const std::string base = "train --data missing.csv --out m.aek ";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"--lr inf", "--lr: 'inf' is not a finite number"},
      {"--lr nan", "--lr: 'nan' is not a finite number"},
      {"--lr -1", "lr must be >= 0, got -1"},
      {"--threads -1", "--threads: -1 is not 0 (automatic) or 1 to 256"},
      {"--threads 1000", "--threads: 1000 is not 0 (automatic) or 1 to 256"},
      {"--epochs 0", "epochs must be at least 1, got 0"},
      {"--batch-size 0", "batch size must be at least 1, got 0"},
      {"--loss hinge", "hinge"},
  };
  for (const auto& [flags, message] : cases) {
    auto r = run_aekit(dir, base + flags);
    EXPECT_EQ(r.exit_code, 2) << flags << ": " << r.err;
    EXPECT_NE(r.err.find(message), std::string::npos) << flags << ": " << r.err;
    EXPECT_EQ(r.err.find("missing.csv"), std::string::npos) << flags << ": data was read first: " << r.err;
  }
}

TEST(CliHazards, RawBytesFromFilesAreEscapedInMessages) {
  ScratchDir dir;
  write_text(dir / "evil.csv", "1,2\n3,\x1b]0;pwned\x07\xff\n");
  auto r = run_aekit(dir, "train --data evil.csv --out m.aek");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find('\x07'), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("\\x1B]0;pwned\\x07\\xFF"), std::string::npos) << r.err;
  EXPECT_EQ(count_lines(r.err), 1) << r.err;
}

}  // namespace
}  // namespace aekit::test
