#include <aekit/recsys/id_map.h>

#include <aekit/core/error.h>

#include <algorithm>
#include <limits>

namespace aekit {

IdMap IdMap::from_ids(std::vector<int64_t> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  IdMap map;
  map.ids_ = std::move(ids);
  map.build_index();
  return map;
}

void IdMap::build_index() {
  index_.clear();
  if (ids_.empty() || ids_.size() > static_cast<size_t>(std::numeric_limits<int32_t>::max())) return;
  // The span in unsigned arithmetic: ids_.back() - ids_.front() may not fit an int64_t.
  const uint64_t span = static_cast<uint64_t>(ids_.back()) - static_cast<uint64_t>(ids_.front());
  if (span >= 4 * static_cast<uint64_t>(ids_.size()) + 64) return;
  index_.assign(static_cast<size_t>(span) + 1, -1);
  for (size_t i = 0; i < ids_.size(); ++i)
    index_[static_cast<size_t>(static_cast<uint64_t>(ids_[i]) - static_cast<uint64_t>(ids_.front()))] =
        static_cast<int32_t>(i);
}

int64_t IdMap::find(int64_t id) const {
  if (!index_.empty()) {
    // An id below the first wraps to a large offset, outside the table like one past the last.
    const uint64_t offset = static_cast<uint64_t>(id) - static_cast<uint64_t>(ids_.front());
    return offset < index_.size() ? index_[static_cast<size_t>(offset)] : -1;
  }
  const auto it = std::lower_bound(ids_.begin(), ids_.end(), id);
  return it != ids_.end() && *it == id ? it - ids_.begin() : -1;
}

IdMap IdMap::from_json(const nlohmann::json& j, const std::string& source, const std::string& what) {
  if (!j.is_array()) fail(source, ": ", what, " ids are not a list");
  IdMap map;
  map.ids_.reserve(j.size());
  for (const auto& v : j) {
    if (!v.is_number_integer()) fail(source, ": ", what, " ids hold a value that is not an integer");
    const auto id = v.get<int64_t>();
    if (!map.ids_.empty() && id <= map.ids_.back()) fail(source, ": ", what, " ids are not strictly ascending");
    map.ids_.push_back(id);
  }
  map.build_index();
  return map;
}

}  // namespace aekit
