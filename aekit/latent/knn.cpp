#include <aekit/latent/knn.h>

#include <aekit/backend/cpu/gemm.h>
#include <aekit/core/error.h>

#include <algorithm>
#include <limits>

namespace aekit {

namespace {

constexpr int64_t kDistanceBudget = int64_t{8} << 20;  // floats of query x train distances at a time

struct Neighbour {
  float distance;
  int64_t index;
};

// The k smallest of row[0..m) (ties: the lower index), nearest first, by insertion: k is small.
void nearest(const float* scores, int64_t m, int k, std::vector<Neighbour>& best) {
  best.clear();
  for (int64_t j = 0; j < m; ++j) {
    const float s = scores[j];
    if (static_cast<int>(best.size()) == k && !(s < best.back().distance)) continue;
    if (static_cast<int>(best.size()) < k) best.push_back({s, j});
    else best.back() = {s, j};
    for (size_t i = best.size() - 1; i > 0 && best[i].distance < best[i - 1].distance; --i)
      std::swap(best[i], best[i - 1]);
  }
}

float vote(const std::vector<Neighbour>& best, std::span<const float> labels) {
  int top = 0;
  float winner = labels[best.front().index];
  // Nearest first: a later label only wins with strictly more votes, so a tie keeps the nearest.
  for (size_t i = 0; i < best.size(); ++i) {
    const float label = labels[best[i].index];
    int count = 0;
    for (const Neighbour& n : best) count += labels[n.index] == label;
    if (count > top) top = count, winner = label;
  }
  return winner;
}

}  // namespace

std::vector<float> knn_classify(ConstMatrixView train, std::span<const float> train_labels, ConstMatrixView queries,
                                int k) {
  const int64_t m = train.rows, n = queries.rows, d = train.cols;
  if (queries.cols != d) fail("kNN: the queries have ", queries.cols, " features but the training rows ", d);
  if (static_cast<int64_t>(train_labels.size()) != m)
    fail("kNN: ", train_labels.size(), " labels for ", m, " training rows");
  if (k < 1 || k > m) fail("kNN: k must be between 1 and the number of training rows (", m, "), got ", k);

  std::vector<float> train_norms(static_cast<size_t>(m));
  for (int64_t j = 0; j < m; ++j) {
    double s = 0;
    for (int64_t c = 0; c < d; ++c) s += static_cast<double>(train.row(j)[c]) * train.row(j)[c];
    train_norms[j] = static_cast<float>(s);
  }
  std::vector<float> predicted(static_cast<size_t>(n));
  const int64_t chunk = std::clamp<int64_t>(kDistanceBudget / std::max<int64_t>(m, 1), 1, 1024);
  Tensor scores({std::min(chunk, std::max<int64_t>(n, 1)), m});
  for (int64_t begin = 0; begin < n; begin += chunk) {
    const int64_t count = std::min(chunk, n - begin);
    // scores = -2 Q T^T + |t|^2: the squared distance less the query's own |q|^2, which does not
    // change the order of its neighbours.
    cpu::gemm(false, true, count, m, d, -2.0f, queries.row(begin), d, train.data, d, 0.0f, scores.data(), m);
#pragma omp parallel
    {
      std::vector<Neighbour> best;
      best.reserve(static_cast<size_t>(k));
#pragma omp for schedule(static)
      for (int64_t i = 0; i < count; ++i) {
        float* row = scores.row(i);
        for (int64_t j = 0; j < m; ++j) row[j] += train_norms[j];
        nearest(row, m, k, best);
        predicted[begin + i] = vote(best, train_labels);
      }
    }
  }
  return predicted;
}

double accuracy(std::span<const float> predicted, std::span<const float> truth) {
  if (predicted.size() != truth.size() || truth.empty())
    fail("accuracy: ", predicted.size(), " predictions for ", truth.size(), " labels");
  size_t right = 0;
  for (size_t i = 0; i < truth.size(); ++i) right += predicted[i] == truth[i];
  return static_cast<double>(right) / static_cast<double>(truth.size());
}

}  // namespace aekit
