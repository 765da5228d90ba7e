#include <aekit/core/aligned_memory.h>

#include <new>
#include <sys/mman.h>

namespace aekit {

namespace {
constexpr size_t kAlignment = 64;
constexpr size_t kHugePage = size_t{2} << 20;
constexpr size_t kHugeFrom = size_t{8} << 20;
}  // namespace

void* allocate_aligned(size_t bytes) {
  if (bytes == 0) return nullptr;
  const size_t alignment = bytes >= kHugeFrom ? kHugePage : kAlignment;
  bytes = (bytes + alignment - 1) / alignment * alignment;
  void* p = std::aligned_alloc(alignment, bytes);
  if (!p) throw std::bad_alloc();
  if (alignment == kHugePage) madvise(p, bytes, MADV_HUGEPAGE);  // a hint: failure changes nothing
  return p;
}

}  // namespace aekit
