#pragma once
// Where scripts/fetch-data puts the named datasets. Its own file so that readers which only
// resolve a name (the rating files' movielens-small) do not link the whole dataset loader.
#include <string>

namespace aekit {

// $AEKIT_DATA when set and not empty, else $HOME/.cache/aekit.
std::string data_cache_dir();

}  // namespace aekit
