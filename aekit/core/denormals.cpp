#include <aekit/core/denormals.h>

#include <omp.h>
#include <xmmintrin.h>

namespace aekit {

namespace {

constexpr unsigned kFlushToZero = 0x8000;      // MXCSR.FTZ
constexpr unsigned kDenormalsAreZero = 0x0040;  // MXCSR.DAZ

void set_this_thread(bool on) {
  const unsigned bits = kFlushToZero | kDenormalsAreZero;
  _mm_setcsr(on ? (_mm_getcsr() | bits) : (_mm_getcsr() & ~bits));
}

}  // namespace

void set_denormal_flushing(bool on) {
  set_this_thread(on);
  // The pool's threads keep their own MXCSR: set it in each (a pool larger than the current thread
  // count keeps its extra threads' setting until they run here again).
#pragma omp parallel
  set_this_thread(on);
}

bool denormals_flushed() { return (_mm_getcsr() & (kFlushToZero | kDenormalsAreZero)) != 0; }

}  // namespace aekit
