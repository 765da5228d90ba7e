#include <aekit/recsys/id_map.h>

#include <aekit/core/error.h>

#include <algorithm>

namespace aekit {

IdMap IdMap::from_ids(std::vector<int64_t> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  IdMap map;
  map.ids_ = std::move(ids);
  return map;
}

int64_t IdMap::find(int64_t id) const {
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
  return map;
}

}  // namespace aekit
