#pragma once
// How well anomaly scores separate anomalies from normal samples. Labels are 1 for an anomaly and
// 0 for a normal sample; a higher score means more anomalous. Scores and labels are in the same
// order, one per sample.
#include <cstdint>
#include <span>

namespace aekit {

// Area under the ROC curve: the probability that a random anomaly scores higher than a random
// normal sample, ties counting one half (the Mann-Whitney U statistic divided by n_pos * n_neg),
// which is what scikit-learn's roc_auc_score returns. InputError unless both classes occur.
double auroc(std::span<const double> scores, std::span<const int> labels);

// Average precision as scikit-learn defines it: sum over the distinct score thresholds, from the
// highest down, of (R_k - R_{k-1}) * P_k, where P_k and R_k are the precision and recall when
// every sample scoring at least the k-th threshold is called an anomaly. No interpolation.
// InputError unless at least one anomaly occurs.
double average_precision(std::span<const double> scores, std::span<const int> labels);

// The confusion counts when a sample is called an anomaly iff its score is above `threshold`.
struct Detection {
  int64_t true_positives = 0, false_positives = 0, true_negatives = 0, false_negatives = 0;
  // Each 0 when its denominator is 0 (no sample called an anomaly, or no anomaly), as
  // scikit-learn's zero_division=0.
  double precision() const;
  double recall() const;
  double f1() const;
};
Detection detect(std::span<const double> scores, std::span<const int> labels, double threshold);

}  // namespace aekit
