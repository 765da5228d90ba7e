#pragma once
// Where scripts/fetch-data puts the named datasets. Its own file so that readers which only
// resolve a name (the rating files' movielens-small) do not link the whole dataset loader.
#include <string>

namespace aekit {

// $AEKIT_DATA when set and not empty, else $HOME/.cache/aekit.
std::string data_cache_dir();

// The path of `file` in the cache's `dataset` folder (movielens-small's ratings and titles); an
// InputError naming the scripts/fetch-data command when it is not there.
std::string cached_dataset_file(const std::string& dataset, const std::string& file);

}  // namespace aekit
