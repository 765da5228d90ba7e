#include <aekit/data/cache_dir.h>

#include <aekit/core/error.h>

#include <cstdlib>
#include <filesystem>

namespace aekit {

std::string data_cache_dir() {
  if (const char* dir = std::getenv("AEKIT_DATA"); dir && *dir) return dir;
  const char* home = std::getenv("HOME");
  return (std::filesystem::path(home && *home ? home : ".") / ".cache" / "aekit").string();
}

std::string cached_dataset_file(const std::string& dataset, const std::string& file) {
  const std::filesystem::path path = std::filesystem::path(data_cache_dir()) / dataset / file;
  if (!std::filesystem::exists(path))
    fail(dataset, ": ", path.string(), " not found (run scripts/fetch-data ", dataset, ", or set AEKIT_DATA)");
  return path.string();
}

}  // namespace aekit
