#pragma once
// The header of a .npy file is a Python dict literal, e.g.
//   {'descr': '<f4', 'fortran_order': False, 'shape': (60000, 784), }
// This parser accepts exactly that grammar (either quote style, any spacing, optional trailing
// commas) and nothing else: it is not a Python evaluator.
#include <aekit/core/tensor.h>

#include <string>
#include <string_view>

namespace aekit::data_detail {

struct NpyHeader {
  std::string descr;
  bool fortran_order = false;
  Shape shape;
};

// Throws InputError "<name>: bad .npy header: ..." naming the offending key or character.
NpyHeader parse_npy_header(std::string_view text, const std::string& name);

// The dict text for `descr` and `shape`, C order, without padding.
std::string format_npy_header(const std::string& descr, const Shape& shape);

}  // namespace aekit::data_detail
