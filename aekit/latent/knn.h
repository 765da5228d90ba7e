#pragma once
// k-nearest-neighbour classification by Euclidean distance: the probe that measures how much
// of the labels' structure a representation (codes, raw inputs, PCA codes) keeps.
#include <aekit/core/tensor.h>

#include <span>
#include <vector>

namespace aekit {

// Predicts a label for each row of `queries` (n x d) from the k nearest rows of `train` (m x d,
// labels train_labels[m]). Distances come from the GEMM (|q|^2 - 2 q.t + |t|^2) over chunks of
// queries, so memory stays bounded (about 32 MiB of distances) whatever m and n are. Neighbours
// at equal distance: the lower training row first. The vote: the most frequent label among the k;
// a tie goes to the tied label whose member is nearest. InputError when k is not in [1, m], the
// widths differ or the label count is not m.
std::vector<float> knn_classify(ConstMatrixView train, std::span<const float> train_labels, ConstMatrixView queries,
                                int k);

// Fraction of predicted[i] == truth[i]; InputError when the sizes differ or are 0.
double accuracy(std::span<const float> predicted, std::span<const float> truth);

}  // namespace aekit
