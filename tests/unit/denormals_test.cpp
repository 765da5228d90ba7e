// --flush-denormals' switch: subnormal floats read and written as 0 on the calling thread and on
// every OpenMP thread while on, IEEE arithmetic again once off (other tests in this process need it).
#include <aekit/core/denormals.h>
#include <aekit/core/threads.h>
#include <gtest/gtest.h>

#include <omp.h>

namespace aekit {
namespace {

// Whether this thread's arithmetic flushes: a subnormal input (DAZ) and a subnormal result (FTZ).
bool arithmetic_flushes() {
  volatile float subnormal = 1e-39f, small = 1e-30f;
  const float read = subnormal * 1.0f, made = small * 1e-10f;
  return read == 0.0f && made == 0.0f;
}

// How many of the pool's threads (at the current count) flush, and how many ran.
std::pair<int, int> threads_flushing() {
  int flushing = 0, ran = 0;
#pragma omp parallel reduction(+ : flushing, ran)
  {
    flushing += arithmetic_flushes() && denormals_flushed();
    ran += 1;
  }
  return {flushing, ran};
}

TEST(Denormals, FlushingReachesEveryThreadAndTurnsOff) {
  set_num_threads(3);
  ASSERT_FALSE(denormals_flushed());
  ASSERT_FALSE(arithmetic_flushes());  // IEEE by default: subnormals are kept

  set_denormal_flushing(true);
  EXPECT_TRUE(denormals_flushed());
  EXPECT_TRUE(arithmetic_flushes());
  const auto [flushing, ran] = threads_flushing();
  EXPECT_EQ(ran, 3);
  EXPECT_EQ(flushing, 3);

  set_denormal_flushing(false);
  EXPECT_FALSE(denormals_flushed());
  EXPECT_FALSE(arithmetic_flushes());
  EXPECT_EQ(threads_flushing().first, 0);
  set_num_threads(1);
}

}  // namespace
}  // namespace aekit
