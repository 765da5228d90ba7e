#include <aekit/data/cache_dir.h>

#include <cstdlib>
#include <filesystem>

namespace aekit {

std::string data_cache_dir() {
  if (const char* dir = std::getenv("AEKIT_DATA"); dir && *dir) return dir;
  const char* home = std::getenv("HOME");
  return (std::filesystem::path(home && *home ? home : ".") / ".cache" / "aekit").string();
}

}  // namespace aekit
