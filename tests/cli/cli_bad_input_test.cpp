// Bad input never crashes: one line on stderr naming the file and the problem, exit code 2, and
// nothing written (an existing output survives untouched, no temporary files are left).
#include "cli_runner.h"

namespace aekit::test {
namespace {

const std::string kOldModel = "previous model bytes";

struct BadInputCase {
  const char* name;
  std::function<void(const ScratchDir&)> prepare;
  std::string args;
  std::vector<std::string> message_parts;  // all must appear in the one error line
};

void write_good_csv(const std::string& path) {
  std::string csv;
  for (int r = 0; r < 20; ++r) csv += std::to_string(r % 5) + "," + std::to_string(r % 3) + ",1,2\n";
  write_text(path, csv);
}

// A valid IDX header for 2 images of 2x2 uint8, followed by `data_bytes` bytes.
std::string idx_bytes(size_t data_bytes, char magic0 = 0) {
  std::string s{magic0, 0, 0x08, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2};
  s.append(data_bytes, 'x');
  return s;
}

void expect_clean_failure(const BadInputCase& c) {
  ScratchDir dir;
  write_text(dir / "out.aek", kOldModel);
  c.prepare(dir);
  const auto before = dir.listing();
  auto r = run_aekit(dir, c.args);
  EXPECT_EQ(r.exit_code, 2) << c.name << ": " << r.err;
  EXPECT_EQ(count_lines(r.err), 1) << c.name << ": expected one line, got:\n" << r.err;
  for (const auto& part : c.message_parts) EXPECT_NE(r.err.find(part), std::string::npos) << c.name << ": " << r.err;
  EXPECT_EQ(slurp(dir / "out.aek"), kOldModel) << c.name;
  EXPECT_EQ(dir.listing(), before) << c.name << ": the failed command left files behind";
}

const std::string kTrainTo = " --epochs 1 --out out.aek";

std::vector<BadInputCase> cases() {
  auto none = [](const ScratchDir&) {};
  return {
      {"missing file", none, "train --data nothere.csv" + kTrainTo, {"nothere.csv"}},
      {"wrong idx magic", [](const ScratchDir& d) { write_text(d / "bad.idx", idx_bytes(8, 7)); },
       "train --data bad.idx" + kTrainTo, {"bad.idx", "magic"}},
      {"truncated idx", [](const ScratchDir& d) { write_text(d / "short.idx", idx_bytes(5)); },
       "train --data short.idx" + kTrainTo, {"short.idx", "truncated"}},
      {"ragged csv", [](const ScratchDir& d) { write_text(d / "r.csv", "1,2,3\n4,5,6\n7,8\n"); },
       "train --data r.csv" + kTrainTo, {"r.csv", ":3"}},
      {"non-numeric cell", [](const ScratchDir& d) { write_text(d / "n.csv", "1,2,3\n4,abc,6\n"); },
       "train --data n.csv" + kTrainTo, {"n.csv", "abc"}},
      {"nan cell", [](const ScratchDir& d) { write_text(d / "nan.csv", "1,2,3\n4,nan,6\n"); },
       "train --data nan.csv" + kTrainTo, {"nan.csv", "NaN"}},
      {"inf cell", [](const ScratchDir& d) { write_text(d / "inf.csv", "1,2,3\n4,inf,6\n"); },
       "train --data inf.csv" + kTrainTo, {"inf.csv"}},
      {"arch does not fit", [](const ScratchDir& d) { write_good_csv(d / "g.csv"); },
       "train --data g.csv --arch 784-128-64" + kTrainTo, {"784", "g.csv", "4"}},
      {"malformed arch", [](const ScratchDir& d) { write_good_csv(d / "g.csv"); },
       "train --data g.csv --arch 4-x-2" + kTrainTo, {"--arch", "4-x-2"}},
      {"unknown activation", [](const ScratchDir& d) { write_good_csv(d / "g.csv"); },
       "train --data g.csv --activation swishy" + kTrainTo, {"swishy"}},
      {"output directory missing", [](const ScratchDir& d) { write_good_csv(d / "g.csv"); },
       "train --data g.csv --epochs 1 --out no/such/dir/m.aek", {"no/such/dir"}},
      {"unknown flag", none, "train --data x.csv --bogus 3", {"bogus"}},
      {"damaged model", [](const ScratchDir& d) { write_text(d / "m.aek", std::string("\x10\0\0\0\0\0\0\0{not json}  ", 20)); },
       "eval m.aek --data x.csv", {"m.aek"}},
      {"not a model", [](const ScratchDir& d) { write_good_csv(d / "g.csv"); }, "eval g.csv --data g.csv", {"g.csv"}},
      {"empty model file", [](const ScratchDir& d) { write_text(d / "e.aek", ""); }, "info e.aek", {"e.aek"}},
      {"unknown dataset name", none, "train --data mnistt:train" + kTrainTo, {"mnistt"}},
  };
}

TEST(CliBadInput, EveryCaseFailsCleanly) {
  for (const auto& c : cases()) expect_clean_failure(c);
}

// A model truncated at any point must be rejected cleanly, never crash.
TEST(CliBadInput, TruncatedModelsAreRejected) {
  ScratchDir dir;
  write_good_csv(dir / "g.csv");
  ASSERT_EQ(run_aekit(dir, "train --data g.csv --arch 4-3-2 --epochs 1 --out m.aek").exit_code, 0);
  const std::string model = slurp(dir / "m.aek");
  for (size_t cut : {size_t{0}, size_t{4}, size_t{8}, size_t{40}, model.size() / 2, model.size() - 4, model.size() - 1}) {
    write_text(dir / "cut.aek", model.substr(0, cut));
    auto r = run_aekit(dir, "eval cut.aek --data g.csv");
    EXPECT_EQ(r.exit_code, 2) << "cut at " << cut << ": " << r.err;
    EXPECT_NE(r.err.find("cut.aek"), std::string::npos) << r.err;
    EXPECT_EQ(count_lines(r.err), 1) << r.err;
  }
}

TEST(CliBadInput, DataThatDoesNotFitTheModel) {
  ScratchDir dir;
  write_good_csv(dir / "g.csv");
  ASSERT_EQ(run_aekit(dir, "train --data g.csv --arch 4-2 --epochs 1 --out m.aek").exit_code, 0);
  write_text(dir / "three.csv", "1,2,3\n4,5,6\n");
  auto r = run_aekit(dir, "encode m.aek --data three.csv --out codes.npy");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("three.csv"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "codes.npy"));
  write_text(dir / "codes.csv", "1,2,3\n");
  r = run_aekit(dir, "decode m.aek --data codes.csv --out d.npy");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("codes.csv"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace aekit::test
