#include <aekit/core/part_balance.h>

#include <algorithm>
#include <cmath>

namespace aekit {

namespace {

// The boundary a fraction `before` of the way through [0, total), at a multiple of `quantum`.
int64_t boundary_at(double before, int64_t total, int64_t quantum) {
  const double at = std::clamp(before, 0.0, 1.0) * static_cast<double>(total) / static_cast<double>(quantum);
  return std::min(total, static_cast<int64_t>(std::llround(at)) * quantum);
}

}  // namespace

int64_t PartBalance::boundary(int k, int n, int64_t total, int64_t quantum) const {
  if (k <= 0) return 0;
  if (k >= n) return total;
  double before = 0.0;  // the shares of parts 0 .. k - 1
  for (int t = 0; t < k; ++t) before += share_[static_cast<size_t>(t)];
  return boundary_at(before, total, quantum);
}

std::pair<int64_t, int64_t> PartBalance::range(int t, int n, int64_t total, int64_t quantum) const {
  if (n != parts_) return even_range(t, n, total, quantum);
  return {boundary(t, n, total, quantum), boundary(t + 1, n, total, quantum)};
}

std::pair<int64_t, int64_t> PartBalance::even_range(int t, int n, int64_t total, int64_t quantum) {
  const auto at = [&](int k) {
    return k <= 0 ? 0 : k >= n ? total : boundary_at(static_cast<double>(k) / n, total, quantum);
  };
  return {at(t), at(t + 1)};
}

void PartBalance::record(int t, int n, double seconds) {
  if (n <= kMaxParts) took_[static_cast<size_t>(t)].seconds = seconds;
}

void PartBalance::rebalance(int n) {
  if (n <= 1 || n > kMaxParts) return;
  if (n != parts_) {
    parts_ = n;
    std::fill_n(share_.begin(), n, 1.0 / n);
    return;
  }
  // A part's speed is its share over its time; equal times need shares in proportion to speeds.
  std::array<double, kMaxParts> speed{};
  double speeds = 0.0;
  for (int t = 0; t < n; ++t) {
    const double seconds = took_[static_cast<size_t>(t)].seconds;
    if (!(seconds > 0.0) || !std::isfinite(seconds)) return;  // an untimed loop teaches nothing
    speed[static_cast<size_t>(t)] = share_[static_cast<size_t>(t)] / seconds;
    speeds += speed[static_cast<size_t>(t)];
  }
  double sum = 0.0;
  for (int t = 0; t < n; ++t) {
    double& share = share_[static_cast<size_t>(t)];
    share += kGain * (speed[static_cast<size_t>(t)] / speeds - share);
    share = std::max(share, kLeastShare / n);
    sum += share;
  }
  for (int t = 0; t < n; ++t) share_[static_cast<size_t>(t)] /= sum;
}

}  // namespace aekit
