#pragma once
// The memory of tensors and byte matrices: 64-byte aligned, and large blocks (a dataset, a batch of
// reconstructions) on 2 MiB transparent huge pages where the kernel offers them: the first touch
// of MNIST's 188 MB of floats then takes 90 page faults instead of 46,000, which were a third of
// `aekit eval`'s time, and random batch rows miss the TLB less.
#include <cstddef>
#include <cstdlib>

namespace aekit {

// Uninitialised memory for `bytes` bytes (nullptr for 0); throws std::bad_alloc. Free with std::free.
void* allocate_aligned(size_t bytes);

struct FreeAligned {
  void operator()(void* p) const noexcept { std::free(p); }
};

}  // namespace aekit
