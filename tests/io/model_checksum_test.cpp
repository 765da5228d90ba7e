// The model file's integrity check (io/data_checksum.h): a CRC-32 of the tensor data in the
// metadata. Every single damaged byte of the data is caught, old files without the entry still
// load, and a damaged entry is named as damage.
#include <aekit/core/error.h>
#include <aekit/core/rng.h>
#include <aekit/io/data_checksum.h>
#include <aekit/io/model_file.h>
#include <aekit/models/dense_arch.h>
#include <aekit/models/trained_model.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstring>
#include <sstream>

namespace aekit {
namespace {

constexpr const char* kChecksummedFile = "m.aek";

std::string checksum_to_bytes(const ModelFile& model) {
  std::ostringstream out;
  write_model(out, model);
  return out.str();
}

ModelFile checksum_from_bytes(const std::string& bytes) {
  std::istringstream in(bytes);
  return read_model(in, kChecksummedFile);
}

// A real model's file: 784-32-784 (about 200 KB of tensor data).
std::string model_bytes() {
  DenseArch arch;
  arch.encoder = {784, 32};
  TrainedModel model;
  model.network = std::make_unique<Autoencoder>(arch.to_spec(), 5);
  return checksum_to_bytes(to_model_file(model));
}

uint64_t header_length(const std::string& bytes) {
  uint64_t n = 0;
  std::memcpy(&n, bytes.data(), 8);
  return n;
}

// The same file with its header's metadata changed by `change`, re-padded.
std::string with_metadata(const std::string& bytes, const std::function<void(nlohmann::json&)>& change) {
  const uint64_t n = header_length(bytes);
  nlohmann::ordered_json header = nlohmann::ordered_json::parse(bytes.substr(8, n));
  nlohmann::json metadata = header["__metadata__"];
  change(metadata);
  header["__metadata__"] = metadata;
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');
  const uint64_t length = text.size();
  return std::string(reinterpret_cast<const char*>(&length), 8) + text + bytes.substr(8 + n);
}

TEST(ModelChecksum, IsTheCrc32OfTheDataBufferAndReadsBackClean) {
  const std::string bytes = model_bytes();
  const uint64_t n = header_length(bytes);
  const nlohmann::json header = nlohmann::json::parse(bytes.substr(8, n));
  const std::string data = bytes.substr(8 + n);
  EXPECT_EQ(header["__metadata__"]["data_crc32"], checksum_text(crc32_update(0, data.data(), data.size())));
  // A file-level check, not model metadata: reading verifies it and loads the model.
  EXPECT_NO_THROW(from_model_file(checksum_from_bytes(bytes), kChecksummedFile));
}

TEST(ModelChecksum, EverySingleFlippedDataByteIsDetected) {
  const std::string bytes = model_bytes();
  const uint64_t data_begin = 8 + header_length(bytes);
  const uint64_t data_bytes = bytes.size() - data_begin;
  ASSERT_GT(data_bytes, 100'000u);
  Rng rng(2026);
  int detected = 0;
  constexpr int kTrials = 1000;
  for (int trial = 0; trial < kTrials; ++trial) {
    std::string damaged = bytes;
    const uint64_t pos = data_begin + rng.next_u64() % data_bytes;
    const auto mask = static_cast<unsigned char>(1 + rng.next_u64() % 255);  // never 0: always a change
    damaged[pos] = static_cast<char>(static_cast<unsigned char>(damaged[pos]) ^ mask);
    try {
      checksum_from_bytes(damaged);
    } catch (const InputError& e) {
      if (std::string(e.what()).find("m.aek: tensor data is damaged (CRC-32 ") == 0) ++detected;
      else ADD_FAILURE() << "byte " << pos << ": another error: " << e.what();
    }
  }
  EXPECT_EQ(detected, kTrials);
}

// The file as aekit wrote it before the "checksums" list existed: the header's checksum then
// covered the metadata without it.
std::string without_checksum_list(const std::string& bytes) {
  const nlohmann::ordered_json header = nlohmann::ordered_json::parse(bytes.substr(8, header_length(bytes)));
  std::vector<TensorTableEntry> table;
  for (const auto& [name, entry] : header.items())
    if (name != "__metadata__") table.push_back({name, entry["dtype"] == "I64", entry["shape"].get<std::vector<int64_t>>()});
  return with_metadata(bytes, [&](nlohmann::json& m) {
    m.erase("checksums");
    m["header_crc32"] = checksum_text(header_checksum(m.get<std::map<std::string, std::string>>(), table));
  });
}

TEST(ModelChecksum, FilesWithoutTheChecksumStillLoad) {
  // As written before the checks existed (and by other safetensors writers): without the
  // "checksums" list that says which checks were written, and with both checks (the previous
  // writer), only the data's (the one before), or none.
  const std::string previous = without_checksum_list(model_bytes());
  ASSERT_EQ(previous.find("checksums"), std::string::npos);
  EXPECT_NO_THROW(from_model_file(checksum_from_bytes(previous), kChecksummedFile));
  const std::string old = with_metadata(model_bytes(), [&](nlohmann::json& m) {
    m.erase("header_crc32");
    m.erase("checksums");
  });
  ASSERT_EQ(old.find("header_crc32"), std::string::npos);
  EXPECT_NO_THROW(from_model_file(checksum_from_bytes(old), kChecksummedFile));
  const std::string oldest = with_metadata(model_bytes(), [](nlohmann::json& m) {
    m.erase("data_crc32");
    m.erase("header_crc32");
    m.erase("checksums");
  });
  EXPECT_NO_THROW(from_model_file(checksum_from_bytes(oldest), kChecksummedFile));
}

TEST(ModelChecksum, AChecksumThatTheFileSaysWasWrittenMustBeThere) {
  // A renamed (damaged) key is not an old file: the "checksums" list names what the writer wrote.
  const std::string bytes = model_bytes();
  for (const std::string key : {"data_crc32", "header_crc32"}) {
    std::string renamed = bytes;
    const size_t at = renamed.find("\"" + key + "\"");
    ASSERT_NE(at, std::string::npos);
    renamed[at + key.size()] ^= 0x01;  // its last character: data_crc33, header_crc33
    try {
      checksum_from_bytes(renamed);
      ADD_FAILURE() << key << " renamed and the file loaded";
    } catch (const InputError& e) {
      EXPECT_EQ(std::string(e.what()), "m.aek: metadata lacks '" + key + "', which its 'checksums' entry says was written (damaged file)");
    }
    const std::string removed = with_metadata(bytes, [&](nlohmann::json& m) { m.erase(key); });
    EXPECT_THROW(checksum_from_bytes(removed), InputError) << key << " removed";
  }
  // A newer writer's checks that this reader does not know are passed over. (Without the header's
  // check here: it covers the list, so changing the list would fail it.)
  const std::string newer = with_metadata(bytes, [](nlohmann::json& m) {
    m.erase("header_crc32");
    m["checksums"] = "data_crc32 data_sha256";
  });
  EXPECT_NO_THROW(from_model_file(checksum_from_bytes(newer), kChecksummedFile));
}

TEST(ModelChecksum, AHeaderNumberThatOverflowsIsADamagedFileNotAnInternalError) {
  // Found by the flip test below: "1E500" is valid JSON but no double, and the JSON library's
  // out_of_range exception escaped the reader (exit 1 instead of 2).
  std::string bytes = model_bytes();
  const size_t at = bytes.find("\"data_offsets\":[0,");
  ASSERT_NE(at, std::string::npos);
  // [0,100352] -> [0,1E5352]: the same length, valid JSON, a number no double holds.
  bytes.replace(at + 18, 3, "1E5");
  try {
    checksum_from_bytes(bytes);
    ADD_FAILURE() << "accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).find("m.aek: not an aekit model file"), 0u) << e.what();
  }
}

TEST(ModelChecksum, AChangedMetadataEntryIsDetected) {
  // Valid JSON, a plausible value: only the header's checksum can tell.
  const std::string bytes = model_bytes();
  const std::string changed = with_metadata(bytes, [](nlohmann::json& m) {
    ASSERT_TRUE(m.contains("loss"));
    m["loss"] = m["loss"].get<std::string>() == "mse" ? "bce" : "mse";
  });
  try {
    checksum_from_bytes(changed);
    ADD_FAILURE() << "a changed loss entry was accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).find("m.aek: the header (metadata or tensor table) is damaged (CRC-32 "), 0u)
        << e.what();
  }
}

TEST(ModelChecksum, EverySingleFlippedHeaderByteIsRefused) {
  // Anywhere in the 8-byte length or the JSON text (not its trailing padding), the checksums' own
  // key names and the "checksums" list included: a parse error, a header that does not fit the
  // file, a listed check that is missing, or the header checksum.
  const std::string bytes = model_bytes();
  const uint64_t n = header_length(bytes);
  const std::string json = bytes.substr(8, n);
  const uint64_t text_end = 8 + json.find_last_not_of(' ') + 1;
  Rng rng(7);
  int refused = 0;
  for (int trials = 0; trials < 1000; ++trials) {
    const uint64_t pos = rng.next_u64() % text_end;
    std::string damaged = bytes;
    damaged[pos] = static_cast<char>(static_cast<unsigned char>(damaged[pos]) ^ (1 + rng.next_u64() % 255));
    try {
      from_model_file(checksum_from_bytes(damaged), kChecksummedFile);
      ADD_FAILURE() << "byte " << pos << " flipped and the file loaded";
    } catch (const InputError&) {
      ++refused;
    }
  }
  EXPECT_EQ(refused, 1000);
  // The flips that once passed: every byte of each checksum key's name, and of the list's.
  for (const std::string key : {"\"data_crc32\"", "\"header_crc32\"", "\"checksums\""}) {
    const uint64_t at = 8 + json.find(key);
    ASSERT_NE(json.find(key), std::string::npos) << key;
    for (uint64_t pos = at; pos < at + key.size(); ++pos) {
      std::string damaged = bytes;
      damaged[pos] = static_cast<char>(static_cast<unsigned char>(damaged[pos]) ^ 0x01);
      EXPECT_THROW(from_model_file(checksum_from_bytes(damaged), kChecksummedFile), InputError) << key << " byte " << pos - at;
    }
  }
}

TEST(ModelChecksum, ADamagedChecksumEntryIsNamed) {
  const std::string bytes = model_bytes();
  for (const std::string bad : {"0", "0123456789", "ABCDEF01", "zzzzzzzz", ""}) {
    const std::string damaged = with_metadata(bytes, [&](nlohmann::json& m) { m["data_crc32"] = bad; });
    try {
      checksum_from_bytes(damaged);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("metadata 'data_crc32' is '" + bad + "', not 8 lowercase hex digits"),
                std::string::npos)
          << e.what();
    }
  }
  const std::string wrong = with_metadata(bytes, [](nlohmann::json& m) { m["data_crc32"] = "00000000"; });
  EXPECT_THROW(checksum_from_bytes(wrong), InputError);
}

}  // namespace
}  // namespace aekit
