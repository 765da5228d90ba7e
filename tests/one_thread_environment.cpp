// Every test in this binary starts on one OpenMP thread. Gradient checks and unit tests run tiny
// products, where a second thread adds only a barrier per kernel: on a busy 2-core machine that
// made them 15-50x slower. A test about threads sets its own count (set_num_threads, or
// TrainOptions::threads through run_train_job), and ctest runs each test in its own process.
#include <aekit/core/threads.h>
#include <gtest/gtest.h>

namespace aekit {
namespace {

class OneThreadEnvironment : public ::testing::Environment {
 public:
  void SetUp() override { set_num_threads(1); }
};

// Registered before gtest_main's RUN_ALL_TESTS; gtest owns and deletes the environment.
[[maybe_unused]] ::testing::Environment* const kOneThread =
    ::testing::AddGlobalTestEnvironment(new OneThreadEnvironment);

}  // namespace
}  // namespace aekit
