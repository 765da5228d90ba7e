#include <aekit/anomaly/metrics.h>

#include <aekit/core/error.h>

#include <algorithm>
#include <numeric>
#include <vector>

namespace aekit {

namespace {

struct ClassCounts {
  int64_t positives = 0, negatives = 0;
};

ClassCounts check_labels(std::span<const double> scores, std::span<const int> labels) {
  if (scores.size() != labels.size())
    fail("anomaly metrics: ", scores.size(), " scores but ", labels.size(), " labels");
  ClassCounts counts;
  for (size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] != 0 && labels[i] != 1) fail("anomaly metrics: label at row ", i, " is ", labels[i], ", not 0 or 1");
    (labels[i] ? counts.positives : counts.negatives)++;
  }
  return counts;
}

// Sample indices from the highest score to the lowest; ties keep input order (irrelevant to the
// metrics, which treat a tie as one group, but it keeps runs reproducible).
std::vector<size_t> descending_order(std::span<const double> scores) {
  std::vector<size_t> order(scores.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] > scores[b]; });
  return order;
}

}  // namespace

double auroc(std::span<const double> scores, std::span<const int> labels) {
  const ClassCounts counts = check_labels(scores, labels);
  if (counts.positives == 0 || counts.negatives == 0)
    fail("AUROC needs both anomalies (label 1) and normal samples (label 0); got ", counts.positives,
         " anomalies and ", counts.negatives, " normal samples");
  // Walk from the lowest score up, one group of equal scores at a time: each anomaly beats every
  // normal sample below its group and ties with half of those inside it.
  const std::vector<size_t> order = descending_order(scores);
  double wins = 0;
  int64_t negatives_below = 0;
  for (size_t end = order.size(); end > 0;) {
    size_t begin = end;
    int64_t group_pos = 0, group_neg = 0;
    while (begin > 0 && scores[order[begin - 1]] == scores[order[end - 1]]) {
      --begin;
      (labels[order[begin]] ? group_pos : group_neg)++;
    }
    wins += static_cast<double>(group_pos) * (static_cast<double>(negatives_below) + 0.5 * static_cast<double>(group_neg));
    negatives_below += group_neg;
    end = begin;
  }
  return wins / (static_cast<double>(counts.positives) * static_cast<double>(counts.negatives));
}

double average_precision(std::span<const double> scores, std::span<const int> labels) {
  const ClassCounts counts = check_labels(scores, labels);
  if (counts.positives == 0) fail("average precision needs at least one anomaly (label 1)");
  const std::vector<size_t> order = descending_order(scores);
  double ap = 0, previous_recall = 0;
  int64_t tp = 0, fp = 0;
  for (size_t begin = 0; begin < order.size();) {
    size_t end = begin;
    while (end < order.size() && scores[order[end]] == scores[order[begin]]) {
      (labels[order[end]] ? tp : fp)++;
      ++end;
    }
    const double recall = static_cast<double>(tp) / static_cast<double>(counts.positives);
    const double precision = static_cast<double>(tp) / static_cast<double>(tp + fp);
    ap += (recall - previous_recall) * precision;
    previous_recall = recall;
    begin = end;
  }
  return ap;
}

Detection detect(std::span<const double> scores, std::span<const int> labels, double threshold) {
  check_labels(scores, labels);
  Detection d;
  for (size_t i = 0; i < scores.size(); ++i) {
    const bool called = scores[i] > threshold;
    if (labels[i]) (called ? d.true_positives : d.false_negatives)++;
    else (called ? d.false_positives : d.true_negatives)++;
  }
  return d;
}

double Detection::precision() const {
  const int64_t called = true_positives + false_positives;
  return called ? static_cast<double>(true_positives) / static_cast<double>(called) : 0.0;
}

double Detection::recall() const {
  const int64_t anomalies = true_positives + false_negatives;
  return anomalies ? static_cast<double>(true_positives) / static_cast<double>(anomalies) : 0.0;
}

double Detection::f1() const {
  const double p = precision(), r = recall();
  return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
}

}  // namespace aekit
