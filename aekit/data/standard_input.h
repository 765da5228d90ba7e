#pragma once
// `-` as a data path: the data comes on standard input (`cat x.csv | aekit encode m.aek --data -`).
// Standard input can be read only once, but a verb may look at its data twice (decode reads the
// header, then the table), so the bytes are read on first use and kept for the process.
#include <string>

namespace aekit {

// True for the path that names standard input (and, for outputs, standard output).
bool is_standard_stream(const std::string& path);

// What messages call it: "stdin" for `-`, the path otherwise.
std::string input_display_name(const std::string& path);

// Everything on standard input, read at the first call.
const std::string& standard_input_bytes();

// True when standard input holds a .npy array (its magic), false for text (CSV/TSV).
bool standard_input_is_npy();

}  // namespace aekit
