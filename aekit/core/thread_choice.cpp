#include <aekit/core/thread_choice.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <omp.h>
#include <string>
#include <thread>

namespace aekit {

namespace {

// procs_running from /proc/stat, or -1.
int procs_running() {
  std::ifstream stat("/proc/stat");
  std::string key;
  long long value = 0;
  while (stat >> key) {
    if (key == "procs_running") return stat >> value ? static_cast<int>(value) : -1;
    stat.ignore(1 << 20, '\n');
  }
  return -1;
}

std::string mflop(double flops) {
  char text[32];
  std::snprintf(text, sizeof text, "%.0f", flops * 1e-6);
  return text;
}

}  // namespace

int own_running_threads() {
  std::error_code error;
  int running = 0;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task", error)) {
    std::ifstream stat(task.path() / "stat");
    std::string line;
    if (!std::getline(stat, line)) continue;
    const size_t name_end = line.rfind(')');  // the name in parentheses may hold spaces
    if (name_end != std::string::npos && name_end + 2 < line.size() && line[name_end + 2] == 'R') ++running;
  }
  return error ? 1 : std::max(running, 1);
}

ThreadChoice choose_threads(double flops_per_batch, int cores, int busy_elsewhere, double quantum) {
  cores = std::max(cores, 1);
  busy_elsewhere = std::max(busy_elsewhere, 0);
  const int free_cores = std::max(1, cores - busy_elsewhere);
  const double by_work = std::floor(std::max(flops_per_batch, 0.0) / quantum);
  const int wanted = static_cast<int>(std::clamp(by_work, 1.0, static_cast<double>(cores)));
  ThreadChoice c;
  c.threads = std::min(wanted, free_cores);
  c.reason = "auto: " + mflop(flops_per_batch) + " MFLOP per batch, " + std::to_string(cores) + " cores, " +
             std::to_string(busy_elsewhere) + " busy elsewhere";
  return c;
}

int runnable_elsewhere() {
  // One reading catches other processes between two time slices; the smallest of three is the
  // load that stays.
  int fewest = -1;
  for (int i = 0; i < 3; ++i) {
    if (i > 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    const int now = procs_running();
    if (now < 0) return 0;
    const int elsewhere = std::max(now - own_running_threads(), 0);
    fewest = fewest < 0 ? elsewhere : std::min(fewest, elsewhere);
  }
  return fewest;
}

ThreadChoice thread_choice(int threads, double flops_per_batch, double quantum) {
  if (threads > 0) return {threads, "--threads"};
  const char* env = std::getenv("OMP_NUM_THREADS");
  if (env && *env) {
    const int n = std::atoi(env);
    if (n > 0) return {n, "OMP_NUM_THREADS"};
  }
  return choose_threads(flops_per_batch, omp_get_num_procs(), runnable_elsewhere(), quantum);
}

}  // namespace aekit
