// The default thread count: one thread per quantum of work per batch, never more than the cores
// that other processes leave free, and what the user sets wins.
#include <aekit/core/thread_choice.h>
#include <aekit/models/autoencoder.h>
#include <aekit/models/dense_arch.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <thread>

namespace aekit {
namespace {

// The seeds' MNIST model (784-128-64-128-784): training FLOPs per batch of `batch`.
double seed_mnist_flops(int64_t batch) {
  DenseArch arch;
  arch.encoder = {784, 128, 64};
  Autoencoder net(arch.to_spec(), 0);
  return 6.0 * net.multiply_adds_per_sample() * static_cast<double>(batch);
}

TEST(ThreadChoice, MultiplyAddsCountEveryWeightAndBiasOnce) {
  DenseArch arch;
  arch.encoder = {784, 128, 64};
  Autoencoder net(arch.to_spec(), 0);
  EXPECT_EQ(net.multiply_adds_per_sample(), static_cast<double>(net.parameter_count()));
  EXPECT_EQ(net.parameter_count(), 784 * 128 + 128 + 128 * 64 + 64 + 64 * 128 + 128 + 128 * 784 + 784);
}

TEST(ThreadChoice, SmallBatchesRunOnOneThread) {
  EXPECT_EQ(choose_threads(seed_mnist_flops(1), 2, 0).threads, 1);
  EXPECT_EQ(choose_threads(seed_mnist_flops(32), 2, 0).threads, 1);
  EXPECT_EQ(choose_threads(seed_mnist_flops(32), 16, 0).threads, 1);
}

TEST(ThreadChoice, LargeBatchesUseTheIdleCores) {
  EXPECT_EQ(choose_threads(seed_mnist_flops(256), 2, 0).threads, 2);
  EXPECT_EQ(choose_threads(seed_mnist_flops(256), 16, 0).threads, 5);  // 335 MFLOP: 5 quanta
  EXPECT_EQ(choose_threads(1e12, 16, 0).threads, 16);
}

TEST(ThreadChoice, CoresBusyElsewhereAreLeftAlone) {
  EXPECT_EQ(choose_threads(seed_mnist_flops(256), 2, 1).threads, 1);
  EXPECT_EQ(choose_threads(1e12, 16, 5).threads, 11);
  EXPECT_EQ(choose_threads(1e12, 2, 40).threads, 1);  // never zero
}

TEST(ThreadChoice, TheReasonSaysWhatDecided) {
  const ThreadChoice c = choose_threads(seed_mnist_flops(256), 2, 1);
  EXPECT_EQ(c.reason, "auto: 335 MFLOP per batch, 2 cores, 1 busy elsewhere");
}

TEST(ThreadChoice, GivenCountsWin) {
  const ThreadChoice given = thread_choice(3, 1.0);
  EXPECT_EQ(given.threads, 3);
  EXPECT_EQ(given.reason, "--threads");
  const char* saved = std::getenv("OMP_NUM_THREADS");
  const std::string before = saved ? saved : "";
  setenv("OMP_NUM_THREADS", "5", 1);
  const ThreadChoice env = thread_choice(0, 1e12);
  if (saved) setenv("OMP_NUM_THREADS", before.c_str(), 1);
  else unsetenv("OMP_NUM_THREADS");
  EXPECT_EQ(env.threads, 5);
  EXPECT_EQ(env.reason, "OMP_NUM_THREADS");
}

TEST(ThreadChoice, TheMachineIsRead) {
  // Whatever the load, the automatic choice is between 1 and the cores.
  const ThreadChoice c = choose_threads(1e12, 2, runnable_elsewhere());
  EXPECT_GE(c.threads, 1);
  EXPECT_LE(c.threads, 2);
  EXPECT_GE(runnable_elsewhere(), 0);
}

TEST(ThreadChoice, OwnSpinningThreadsAreNotLoadElsewhere) {
  // A thread of ours that spins (as OpenBLAS's workers do after they start) is in state R whether
  // or not a core is free for it, so it is counted as ours and never as another process's load.
  std::atomic<bool> started{false}, stop{false};
  std::thread spinner([&] {
    started = true;
    while (!stop) std::this_thread::yield();
  });
  while (!started) std::this_thread::yield();
  const int ours = own_running_threads();
  stop = true;
  spinner.join();
  EXPECT_GE(ours, 2);
}

}  // namespace
}  // namespace aekit
