#pragma once
// Ratings as a user x item matrix over fixed id maps, and test ratings as index pairs.
#include <aekit/core/csr_matrix.h>
#include <aekit/recsys/id_map.h>
#include <aekit/recsys/rating_file.h>
#include <aekit/recsys/rating_metrics.h>

#include <vector>

namespace aekit {

struct RatingMatrix {
  IdMap users, items;
  CsrMatrix by_user;  // users x items
};

// Maps over the ids of `id_source` (every id there gets an index, rated in `ratings` or not),
// then places `ratings`, whose ids must all be in the maps.
RatingMatrix build_rating_matrix(const std::vector<Rating>& ratings, const std::vector<Rating>& id_source);

// Test ratings as pairs of indices in the maps (-1 for an id the maps lack).
std::vector<TestPair> to_test_pairs(const std::vector<Rating>& ratings, const IdMap& users, const IdMap& items);

}  // namespace aekit
