#!/usr/bin/python3
"""The infinite-width autoencoder (∞-AE: Sachdeva, Dhaliwal, Wu and McAuley 2022, "Infinite
Recommendation Networks: A Data-Centric Approach") against EASE on aekit's validation carve (issue 6:
"an autoencoder that beats EASE"), the data, carve and scores of bench/linear_ae_search.py.

∞-AE is an autoencoder items -> hidden (ReLU) -> items in the limit of infinite width, trained to
convergence with an L2 penalty: kernel ridge regression of each user's row on the users' rows with
the network's neural tangent kernel K (users x users). Scores = K (K + lambda I)^-1 X. One hidden
ReLU layer, weights of variance sw^2 / fan-in, biases of variance sb^2 (neural_tangents' stax:
Dense, Relu, Dense):
  s0(x, y) = sw^2 <x, y> / items + sb^2                          (the first layer's NNGP and NTK)
  theta = arccos(s0(x, y) / sqrt(s0(x, x) s0(y, y)))
  s1 = sqrt(s0(x, x) s0(y, y)) (sin theta + (pi - theta) cos theta) / (2 pi),  d1 = (pi - theta) / (2 pi)
  K = sw^2 (s1 + s0 d1) + sb^2                                   (the output layer's NTK)
On 671 users K is 671 x 671: a setting costs a fraction of a second.

Usage: bench/infinite_ae_search.py [--seed 0] [--weight 1] [--lambdas 0.3,1] [--sbs 0,1] [--rownorms 0,1]
       [--show-test 'lambda=..,sb=..']
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from linear_ae_search import load, scores_of, test_metrics, validation_ndcg  # noqa: E402
from movielens_split import DEFAULT_RATINGS  # noqa: E402
import scipy.sparse  # noqa: E402


def ntk(x, sw=np.sqrt(2.0), sb=0.0):
    s0 = sw**2 * (x @ x.T) / x.shape[1] + sb**2
    d = np.sqrt(np.diag(s0))
    norm = np.outer(d, d)
    cos = np.clip(s0 / np.maximum(norm, 1e-30), -1.0, 1.0)
    theta = np.arccos(cos)
    s1 = norm * (np.sin(theta) + (np.pi - theta) * cos) / (2 * np.pi)
    d1 = (np.pi - theta) / (2 * np.pi)
    return sw**2 * (s1 + s0 * d1) + sb**2


def infinite_ae_scores(x, lam, sb=0.0, rownorm=False):
    inp = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12) if rownorm else x
    k = ntk(inp, sb=sb)
    k = k / np.mean(np.diag(k))  # lambda on the scale of the kernel's diagonal
    return k @ np.linalg.solve(k + lam * np.eye(len(k)), x)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=DEFAULT_RATINGS)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--weight", type=float, default=1.0, help="weight of a rating under 4")
    parser.add_argument("--ease", type=float, default=0, help="also score EASE at this lambda")
    parser.add_argument("--lambdas", default="0.3,1,3,10,30,100")
    parser.add_argument("--sbs", default="0,1", help="bias deviations tried")
    parser.add_argument("--rownorms", default="0,1", help="0: raw rows, 1: rows L2-normalised")
    parser.add_argument("--show-test", default="", help="'lambda=..,sb=..,rownorm=0|1': test figures")
    args = parser.parse_args()
    x, fit, held, positives, rating = load(args.data, args.seed)
    w = lambda m: np.where(rating >= 4, m, args.weight * m)  # noqa: E731
    fit_in, x_in = w(fit), w(x)
    if args.ease:
        a, p = validation_ndcg(scores_of(scipy.sparse.csr_matrix(fit_in), "ease", {"lambda": args.ease}), fit, held,
                               rating)
        print(f"seed {args.seed} EASE lambda {args.ease:g} weight {args.weight:g}: all {a:.4f} pos {p:.4f}", flush=True)
    if args.show_test:
        s = {k: float(v) for k, v in (kv.split("=") for kv in args.show_test.split(","))}
        ndcg, recall = test_metrics(infinite_ae_scores(x_in, s["lambda"], s.get("sb", 0.0), bool(s.get("rownorm", 0))),
                                    x, positives)
        print(f"test inf-ae weight {args.weight:g} {s}: NDCG@100 {ndcg:.4f} Recall@20 {recall:.4f}")
        return
    for rownorm in [bool(int(v)) for v in args.rownorms.split(",")]:
        for sb in [float(v) for v in args.sbs.split(",")]:
            for lam in [float(v) for v in args.lambdas.split(",")]:
                a, p = validation_ndcg(infinite_ae_scores(fit_in, lam, sb, rownorm), fit, held, rating)
                print(f"seed {args.seed} inf-ae weight {args.weight:g} rownorm {int(rownorm)} sb {sb:g} lambda {lam:g}: "
                      f"all {a:.4f} pos {p:.4f}", flush=True)


if __name__ == "__main__":
    main()
