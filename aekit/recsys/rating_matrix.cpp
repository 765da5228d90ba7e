#include <aekit/recsys/rating_matrix.h>

#include <aekit/core/error.h>

#include <limits>

namespace aekit {

RatingMatrix build_rating_matrix(const std::vector<Rating>& ratings, const std::vector<Rating>& id_source) {
  std::vector<int64_t> user_ids, item_ids;
  user_ids.reserve(id_source.size());
  item_ids.reserve(id_source.size());
  for (const Rating& r : id_source) {
    user_ids.push_back(r.user);
    item_ids.push_back(r.item);
  }
  RatingMatrix m;
  m.users = IdMap::from_ids(std::move(user_ids));
  m.items = IdMap::from_ids(std::move(item_ids));
  if (m.items.size() > std::numeric_limits<int32_t>::max()) fail("too many items: ", m.items.size());
  std::vector<CsrEntry> entries;
  entries.reserve(ratings.size());
  for (const Rating& r : ratings) {
    const int64_t u = m.users.find(r.user), i = m.items.find(r.item);
    AEKIT_ASSERT(u >= 0 && i >= 0, "rating of an id outside the maps");
    entries.push_back({u, i, r.value});
  }
  m.by_user = CsrMatrix::from_entries(m.users.size(), m.items.size(), std::move(entries));
  return m;
}

std::vector<TestPair> to_test_pairs(const std::vector<Rating>& ratings, const IdMap& users, const IdMap& items) {
  std::vector<TestPair> pairs;
  pairs.reserve(ratings.size());
  for (const Rating& r : ratings) pairs.push_back({users.find(r.user), items.find(r.item), r.value});
  return pairs;
}

}  // namespace aekit
