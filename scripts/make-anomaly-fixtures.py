#!/usr/bin/python3
"""Writes the scikit-learn and numpy reference values behind tests/unit/anomaly_metrics_test.cpp.

Regenerate (needs Debian's python3-sklearn and python3-numpy, not the toolkit):
    /usr/bin/python3 scripts/make-anomaly-fixtures.py
then commit tests/fixtures/anomaly/metrics.json together with any change to this script.

Each case holds scores (many tied: they are rounded to a few levels) and 0/1 labels (1 =
anomaly), with sklearn's roc_auc_score, average_precision_score and precision/recall/F1 of the
prediction "score > threshold" (zero_division=0), and numpy's quantiles (linear interpolation)
and median absolute deviation of the scores.
"""
import json
import pathlib

import numpy as np
from sklearn.metrics import average_precision_score, f1_score, precision_score, recall_score, roc_auc_score

OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "anomaly" / "metrics.json"
QUANTILES = [0.0, 0.1, 0.5, 0.95, 0.98, 1.0]


def case(name, scores, labels, threshold):
    scores = np.asarray(scores, dtype=np.float64)
    labels = np.asarray(labels, dtype=np.int64)
    predicted = (scores > threshold).astype(np.int64)
    median = np.quantile(scores, 0.5)
    return {
        "name": name,
        "scores": scores.tolist(),
        "labels": labels.tolist(),
        "threshold": threshold,
        "auroc": roc_auc_score(labels, scores),
        "average_precision": average_precision_score(labels, scores),
        "precision": precision_score(labels, predicted, zero_division=0),
        "recall": recall_score(labels, predicted, zero_division=0),
        "f1": f1_score(labels, predicted, zero_division=0),
        "quantiles": [[q, float(np.quantile(scores, q))] for q in QUANTILES],
        "mad": float(np.quantile(np.abs(scores - median), 0.5)),
    }


def main():
    rng = np.random.default_rng(8)
    cases = []
    for i, (n, levels, anomaly_fraction) in enumerate([(20, 4, 0.3), (57, 7, 0.1), (200, 12, 0.05), (500, 1000, 0.2)]):
        labels = (rng.random(n) < anomaly_fraction).astype(int)
        labels[0], labels[1] = 1, 0  # both classes always occur
        # Anomalies score higher on average; rounding to `levels` steps makes ties across classes.
        raw = rng.normal(size=n) + 1.5 * labels
        scores = np.round((raw - raw.min()) / (raw.max() - raw.min()) * (levels - 1)) / (levels - 1)
        threshold = float(np.quantile(scores, 0.8))
        cases.append(case(f"random_{i}_n{n}_levels{levels}", scores, labels, threshold))
    # Every score tied: AUROC 0.5, AP the anomaly fraction.
    cases.append(case("all_tied", [0.3] * 6, [1, 0, 0, 1, 0, 0], 0.1))
    # Nothing above the threshold: precision, recall and F1 are 0 (zero_division=0).
    cases.append(case("none_called", [0.1, 0.2, 0.3, 0.4], [0, 1, 0, 1], 0.5))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"cases": cases}, indent=1) + "\n")
    print(f"wrote {len(cases)} cases to {OUT}")


if __name__ == "__main__":
    main()
