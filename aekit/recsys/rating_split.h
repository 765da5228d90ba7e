#pragma once
// Splitting ratings into training and test sets.
#include <aekit/recsys/rating_file.h>

#include <cstdint>
#include <vector>

namespace aekit {

// numpy's legacy np.random.seed(seed); np.random.permutation(n), value for value (MT19937 and
// the same bounded draws), so a split made here is the split a Python script makes with it.
std::vector<int64_t> numpy_permutation(int64_t n, uint32_t seed);

struct RatingSplit {
  std::vector<Rating> train, test;
};

// --holdout FRACTION: the ratings in the order of numpy_permutation(n, seed); the first
// int(n * (1 - fraction)) train and the rest test (np.random.seed(seed); p = permutation(n);
// cut = int(n * (1 - fraction))). InputError unless 0 < fraction < 1.
RatingSplit holdout_split(const std::vector<Rating>& ratings, double fraction, uint32_t seed);

}  // namespace aekit
