// The model file: round trips, the exact safetensors layout (checked by an independent Python
// reader), every kind of damage as a one-line InputError, and atomic saves.
#include <aekit/core/error.h>
#include <aekit/io/data_checksum.h>
#include <aekit/io/model_file.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

namespace aekit {
namespace {

namespace fs = std::filesystem;
constexpr const char* kSource = "damaged.aekit";

Tensor filled(Shape shape, float start, float step) {
  Tensor t(std::move(shape));
  for (int64_t i = 0; i < t.size(); ++i) t[i] = start + step * static_cast<float>(i);
  return t;
}

// Covers every shape the format has to carry: 1-D to 4-D, a scalar, and an empty tensor in the
// middle (it shares its offset with the next tensor).
ModelFile sample_model() {
  ModelFile model;
  model.metadata = {{"format", kModelFormat},
                    {"format_version", kModelFormatVersion},
                    {"architecture", R"({"layers":[784,64,784]})"},
                    {"note", "caf\xC3\xA9 \"quoted\""}};
  model.tensors.push_back({"encoder.weight", filled({3, 4}, -1.0f, 0.25f)});
  model.tensors.push_back({"encoder.bias", filled({4}, 0.5f, -0.125f)});
  model.tensors.push_back({"empty", Tensor(Shape{0, 5})});
  model.tensors.push_back({"conv.kernel", filled({2, 1, 2, 3}, 3.0f, 1.5f)});
  model.tensors.push_back({"scale", filled(Shape{}, 7.0f, 0.0f)});
  return model;
}

std::string to_bytes(const ModelFile& model) {
  std::ostringstream out;
  write_model(out, model);
  return out.str();
}

ModelFile from_bytes(const std::string& bytes, const std::string& source = kSource) {
  std::istringstream in(bytes);
  return read_model(in, source);
}

// A safetensors file with a hand-written header, padded like aekit pads, and `buffer_bytes` zeros.
std::string raw_file(const std::string& header, size_t buffer_bytes) {
  std::string padded = header + std::string((8 - header.size() % 8) % 8, ' ');
  uint64_t length = padded.size();
  std::string bytes(reinterpret_cast<const char*>(&length), 8);
  return bytes + padded + std::string(buffer_bytes, '\0');
}

template <typename Action>
std::string input_error_of(Action action) {
  try {
    action();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no InputError)";
}

std::string model_input_error(const std::string& bytes) {
  return input_error_of([&] { from_bytes(bytes); });
}

// The message is one line, starts with the source and contains `problem`.
void expect_damage(const std::string& bytes, const std::string& problem) {
  const std::string message = model_input_error(bytes);
  EXPECT_TRUE(message.starts_with(std::string(kSource) + ": ")) << message;
  EXPECT_NE(message.find(problem), std::string::npos) << "expected '" << problem << "' in: " << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
}

void expect_same(const ModelFile& a, const ModelFile& b) {
  EXPECT_EQ(a.metadata, b.metadata);
  ASSERT_EQ(a.tensors.size(), b.tensors.size());
  for (size_t i = 0; i < a.tensors.size(); ++i) {
    SCOPED_TRACE(a.tensors[i].name);
    EXPECT_EQ(a.tensors[i].name, b.tensors[i].name);
    EXPECT_EQ(a.tensors[i].tensor.shape(), b.tensors[i].tensor.shape());
    ASSERT_EQ(a.tensors[i].tensor.size(), b.tensors[i].tensor.size());
    for (int64_t k = 0; k < a.tensors[i].tensor.size(); ++k) EXPECT_EQ(a.tensors[i].tensor[k], b.tensors[i].tensor[k]);
  }
}

class TempDir {
 public:
  TempDir() : path_(fs::temp_directory_path() / ("aekit_io_" + std::to_string(::getpid()) + "_" +
                                                 ::testing::UnitTest::GetInstance()->current_test_info()->name())) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(path_)) names.push_back(e.path().filename().string());
    return names;
  }

 private:
  fs::path path_;
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// --- round trips and layout -------------------------------------------------------------------

TEST(ModelFileRoundTrip, ThroughMemory) { expect_same(sample_model(), from_bytes(to_bytes(sample_model()))); }

TEST(ModelFileRoundTrip, ThroughFile) {
  TempDir dir;
  save_model(dir.file("m.aekit"), sample_model());
  ModelFile loaded = load_model(dir.file("m.aekit"));
  expect_same(sample_model(), loaded);
  check_aekit_format(loaded, "m.aekit");
  EXPECT_EQ(loaded.tensor("encoder.bias", "m.aekit")[1], 0.375f);
}

TEST(ModelFileRoundTrip, ReadsFromTheCurrentStreamPosition) {
  std::istringstream in("prefix" + to_bytes(sample_model()));
  in.seekg(6);
  expect_same(sample_model(), read_model(in, kSource));
}

TEST(ModelFileLayout, IsPaddedSafetensorsWithContiguousOffsets) {
  const std::string bytes = to_bytes(sample_model());
  uint64_t n = 0;
  std::memcpy(&n, bytes.data(), 8);
  EXPECT_EQ((8 + n) % 8, 0u);
  const std::string text = bytes.substr(8, n);
  ASSERT_EQ(text.front(), '{');
  EXPECT_EQ(text.find_last_not_of(' '), text.find_last_of('}'));
  auto header = nlohmann::ordered_json::parse(text);
  EXPECT_EQ(header["__metadata__"]["format"], "aekit-model");
  uint64_t offset = 0;
  std::vector<std::string> names;
  for (const auto& [name, info] : header.items()) {
    if (name == "__metadata__") continue;
    names.push_back(name);
    EXPECT_EQ(info["dtype"], "F32");
    EXPECT_EQ(info["data_offsets"][0].get<uint64_t>(), offset) << name;
    offset = info["data_offsets"][1].get<uint64_t>();
  }
  EXPECT_EQ(names, (std::vector<std::string>{"encoder.weight", "encoder.bias", "empty", "conv.kernel", "scale"}));
  EXPECT_EQ(bytes.size(), 8 + n + offset);
}

TEST(ModelFileLayout, IndependentPythonReaderAgrees) {
  TempDir dir;
  const std::string path = dir.file("m.aekit");
  save_model(path, sample_model());
  const std::string command = std::string(AEKIT_PYTHON) + " " + AEKIT_SOURCE_DIR + "/tests/io/read_safetensors.py " +
                              path + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr) << command;
  std::string output;
  char chunk[4096];
  while (size_t n = std::fread(chunk, 1, sizeof(chunk), pipe)) output.append(chunk, n);
  const int status = ::pclose(pipe);
  // A missing numpy is a broken test environment, reported as a failure rather than hidden as a skip.
  ASSERT_EQ(status, 0) << command << "\n" << output;

  const auto report = nlohmann::json::parse(output);
  const ModelFile model = sample_model();
  using Metadata = std::map<std::string, std::string>;
  Metadata metadata = report["metadata"].get<Metadata>();
  EXPECT_EQ(metadata.count("data_crc32"), 1u);  // the integrity check, verified by the script
  EXPECT_TRUE(report["crc_checked"].get<bool>());
  metadata.erase("data_crc32");
  EXPECT_EQ(metadata.count("header_crc32"), 1u);  // the header's check (io/data_checksum.h)
  metadata.erase("header_crc32");
  EXPECT_EQ(metadata["checksums"], "data_crc32 header_crc32");  // which checks were written
  metadata.erase("checksums");
  EXPECT_EQ(metadata, model.metadata);
  ASSERT_EQ(report["tensors"].size(), model.tensors.size());
  for (size_t i = 0; i < model.tensors.size(); ++i) {
    const Tensor& t = model.tensors[i].tensor;
    double sum = 0;
    for (int64_t k = 0; k < t.size(); ++k) sum += t[k];
    EXPECT_EQ(report["tensors"][i]["name"], model.tensors[i].name);
    EXPECT_EQ(report["tensors"][i]["shape"].get<Shape>(), t.shape());
    EXPECT_DOUBLE_EQ(report["tensors"][i]["sum"].get<double>(), sum);
  }
}

// --- damaged and foreign files ---------------------------------------------------------------

TEST(ModelFileDamage, TooShortForTheHeaderLength) {
  expect_damage("", "not an aekit model file (0 bytes");
  expect_damage("abc", "not an aekit model file (3 bytes");
}

TEST(ModelFileDamage, ForeignFilesSayNotAModel) {
  expect_damage("user,item,rating\n1,2,3.5\n", "not an aekit model file (safetensors header length");
  expect_damage(std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16), "exceeds the file size");
  expect_damage(raw_file("not json at all", 0), "not an aekit model file (safetensors header is not valid JSON");
  expect_damage(raw_file("[1, 2]", 0), "safetensors header is array, not a JSON object");
}

TEST(ModelFileDamage, HeaderLengthAboveTheCap) {
  // A sparse file: large enough to pass the file-size check without using the disk.
  TempDir dir;
  const std::string path = dir.file("huge.aekit");
  {
    std::ofstream out(path, std::ios::binary);
    const uint64_t length = 200'000'000;
    out.write(reinterpret_cast<const char*>(&length), 8);
  }
  fs::resize_file(path, 200'000'100);
  EXPECT_EQ(input_error_of([&] { load_model(path); }),
            path + ": not an aekit model file (safetensors header length 200,000,000 exceeds the cap of "
                   "100,000,000 bytes)");
}

TEST(ModelFileDamage, Metadata) {
  expect_damage(raw_file(R"({"__metadata__": {"format": 1}})", 0), "__metadata__ 'format' is an integer, expected a string");
  expect_damage(raw_file(R"({"__metadata__": ["x"]})", 0), "__metadata__ is array, expected an object of strings");
}

TEST(ModelFileDamage, TensorEntryFieldsAndTypes) {
  expect_damage(raw_file(R"({"w": 3})", 0), "tensor 'w' is an integer, expected an object");
  expect_damage(raw_file(R"({"w": {"shape": [1], "data_offsets": [0, 4]}})", 4), "tensor 'w' has no \"dtype\"");
  expect_damage(raw_file(R"({"w": {"dtype": "F32", "data_offsets": [0, 4]}})", 4), "tensor 'w' has no \"shape\"");
  expect_damage(raw_file(R"({"w": {"dtype": "F32", "shape": [1]}})", 4), "tensor 'w' has no \"data_offsets\"");
  expect_damage(raw_file(R"({"w": {"dtype": 32, "shape": [1], "data_offsets": [0, 4]}})", 4), "has a dtype that is");
  expect_damage(raw_file(R"({"w": {"dtype": "F32", "shape": "1", "data_offsets": [0, 4]}})", 4), "has a shape that is string");
  expect_damage(raw_file(R"({"w": {"dtype": "F32", "shape": [1.0], "data_offsets": [0, 4]}})", 4),
                "dimension that is a number, expected an integer");
  expect_damage(raw_file(R"({"w": {"dtype": "F32", "shape": [1], "data_offsets": [0]}})", 4), "not [begin, end]");
  expect_damage(raw_file(R"({"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, "4"]}})", 4),
                "data offset that is string");
}

TEST(ModelFileDamage, DtypeOtherThanF32AndI64) {
  EXPECT_EQ(model_input_error(raw_file(R"({"layers.0.weight": {"dtype": "F16", "shape": [2], "data_offsets": [0, 4]}})", 4)),
            "damaged.aekit: tensor 'layers.0.weight' has dtype F16; aekit reads F32 and I64 only");
  // I64 (counts) takes 8 bytes a value.
  expect_damage(raw_file(R"({"n": {"dtype": "I64", "shape": [2], "data_offsets": [0, 8]}})", 8), "(16 bytes)");
}

TEST(ModelFileDamage, Shapes) {
  expect_damage(raw_file(R"({"w": {"dtype": "F32", "shape": [-2], "data_offsets": [0, 8]}})", 8), "negative dimension (-2)");
  expect_damage(raw_file(R"({"w": {"dtype": "F32", "shape": [4294967296, 4294967296, 16], "data_offsets": [0, 0]}})", 0),
                "shape whose size overflows");
  expect_damage(raw_file(R"({"w": {"dtype": "F32", "shape": [18446744073709551615], "data_offsets": [0, 0]}})", 0),
                "shape whose size overflows");
  expect_damage(raw_file(R"({"w": {"dtype": "F32", "shape": [1,1,1,1,1], "data_offsets": [0, 4]}})", 4),
                "has 5 dimensions; aekit tensors have at most 4");
}

TEST(ModelFileDamage, OffsetsAgainstShapeAndEachOther) {
  expect_damage(raw_file(R"({"w": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}})", 8),
                "tensor 'w' has shape [3] (12 bytes) but data_offsets [0, 8]");
  expect_damage(raw_file(R"({"w": {"dtype": "F32", "shape": [1], "data_offsets": [8, 4]}})", 8), "data_offsets [8, 4]");
  expect_damage(raw_file(R"({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                             "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}})", 12),
                "tensors 'a' and 'b' overlap");
  expect_damage(raw_file(R"({"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]},
                             "b": {"dtype": "F32", "shape": [1], "data_offsets": [8, 12]}})", 12),
                "gap in the data buffer before tensor 'b'");
  expect_damage(raw_file(R"({"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}})", 12),
                "8 unexpected bytes after the tensor data");
}

TEST(ModelFileDamage, TruncatedData) {
  EXPECT_EQ(model_input_error(raw_file(R"({"w": {"dtype": "F32", "shape": [100500], "data_offsets": [0, 402000]}})", 1024)),
            "damaged.aekit: truncated: header describes 402,000 bytes of tensor data, file has 1,024");
}

TEST(ModelFileDamage, HugeOffsets) {
  expect_damage(raw_file(R"({"w": {"dtype": "F32", "shape": [1], "data_offsets": [18446744073709551608, 18446744073709551612]}})", 4),
                "truncated: header describes 18,446,744,073,709,551,612 bytes of tensor data, file has 4");
  expect_damage(raw_file(R"({"w": {"dtype": "F32", "shape": [250000000000000000], "data_offsets": [0, 1000000000000000000]}})", 4),
                "truncated: header describes 1,000,000,000,000,000,000 bytes");
  expect_damage(raw_file(R"({"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 18446744073709551616]}})", 4),
                "data offset that is a number");
}

TEST(ModelFileDamage, DuplicateNames) {
  expect_damage(raw_file(R"({"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]},
                             "w": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}})", 8),
                "duplicate key 'w' in the safetensors header");
  expect_damage(raw_file(R"({"__metadata__": {"a": "1", "a": "2"}})", 0), "duplicate key 'a'");
}

TEST(ModelFileDamage, NonFiniteValues) {
  for (float bad : {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity()}) {
    // A crafted file: the last value of the last tensor, 'scale', is poisoned and the data
    // checksum rewritten to match, so the reader's own finiteness check has to catch it.
    ModelFile clean = sample_model(), poisoned = sample_model();
    poisoned.tensors.back().tensor[0] = bad;
    auto checksum = [](const ModelFile& m) {
      uint32_t crc = 0;
      for (const NamedTensor& t : m.tensors)
        crc = crc32_update(crc, t.tensor.data(), static_cast<size_t>(t.tensor.size()) * sizeof(float));
      return checksum_text(crc);
    };
    std::string bytes = to_bytes(clean);
    std::memcpy(bytes.data() + bytes.size() - 4, &bad, 4);
    const size_t at = bytes.find(checksum(clean));
    ASSERT_NE(at, std::string::npos);
    bytes.replace(at, 8, checksum(poisoned));
    expect_damage(bytes, "tensor 'scale' holds");
  }
}

TEST(ModelFileDamage, EveryTruncationIsAnInputError) {
  const std::string bytes = to_bytes(sample_model());
  for (size_t length = 0; length < bytes.size(); ++length) {
    SCOPED_TRACE(length);
    EXPECT_THROW(from_bytes(bytes.substr(0, length)), InputError);
  }
}

TEST(ModelFileDamage, FlippedHeaderBytesNeverCrash) {
  // A flip may leave a valid file (inside a metadata string, say), but must never be anything
  // other than a clean read or an InputError.
  const std::string bytes = to_bytes(sample_model());
  uint64_t n = 0;
  std::memcpy(&n, bytes.data(), 8);
  int errors = 0;
  for (size_t pos = 0; pos < 8 + n; ++pos) {
    for (unsigned char mask : {0x01, 0x20, 0x80, 0xFF}) {
      std::string damaged = bytes;
      damaged[pos] = static_cast<char>(damaged[pos] ^ mask);
      try {
        from_bytes(damaged);
      } catch (const InputError&) {
        ++errors;
      }
    }
  }
  EXPECT_GT(errors, static_cast<int>(2 * n));  // most flips break the header
}

// --- format check and lookup -------------------------------------------------------------------

TEST(ModelFileFormat, AcceptsAekitModelsOnly) {
  ModelFile model = sample_model();
  EXPECT_NO_THROW(check_aekit_format(model, "m"));
  model.metadata["format_version"] = "2";
  EXPECT_EQ(input_error_of([&] { check_aekit_format(model, "m"); }),
            "m: aekit model format version '2' is not supported (this aekit reads version 1)");
  model.metadata.erase("format");
  EXPECT_EQ(input_error_of([&] { check_aekit_format(model, "m"); }),
            "m: not an aekit model file (safetensors metadata \"format\" is missing, expected 'aekit-model')");
}

TEST(ModelFileFormat, MissingTensorNamesTheSource) {
  EXPECT_EQ(input_error_of([] { sample_model().tensor("decoder.weight", "m.aekit"); }),
            "m.aekit: model has no tensor 'decoder.weight'");
}

// --- writing ------------------------------------------------------------------------------------

TEST(ModelFileWrite, RejectsBadModelsBeforeWritingAnything) {
  std::vector<ModelFile> bad(4, sample_model());
  bad[0].tensors.push_back({"encoder.bias", Tensor({1})});
  bad[1].tensors[0].tensor[5] = std::numeric_limits<float>::quiet_NaN();
  bad[2].tensors.push_back({"unshaped", Tensor()});
  bad[3].tensors.push_back({"__metadata__", Tensor({1})});
  for (const ModelFile& model : bad) {
    std::ostringstream out;
    EXPECT_THROW(write_model(out, model), InputError);
    EXPECT_TRUE(out.str().empty());
  }
}

TEST(ModelFileSave, FailedSaveKeepsThePreviousFileAndLeavesNoTemp) {
  TempDir dir;
  const std::string path = dir.file("m.aekit");
  save_model(path, sample_model());
  const std::string before = slurp(path);

  ModelFile diverged = sample_model();
  diverged.tensors[1].tensor[0] = std::numeric_limits<float>::infinity();
  const std::string message = input_error_of([&] { save_model(path, diverged); });
  EXPECT_TRUE(message.starts_with(path + ": model tensor 'encoder.bias' holds inf")) << message;
  EXPECT_EQ(slurp(path), before);
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"m.aekit"});
}

TEST(ModelFileSave, UnwritableDirectoryIsAnInputError) {
  TempDir dir;
  const std::string path = dir.file("missing-dir/m.aekit");
  const std::string message = input_error_of([&] { save_model(path, sample_model()); });
  EXPECT_TRUE(message.starts_with(path + ": cannot create a temporary file")) << message;
  EXPECT_TRUE(dir.entries().empty());
}

TEST(ModelFileLoad, MissingFileAndDirectory) {
  TempDir dir;
  EXPECT_THROW(load_model(dir.file("nope.aekit")), InputError);
  EXPECT_THROW(load_model(dir.file("")), InputError);
}

}  // namespace
}  // namespace aekit
