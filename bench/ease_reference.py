#!/usr/bin/python3
"""EASE (Steck 2019) in numpy on the issue's movielens-small split, the reference figures of
tests/e2e/movielens_recommender_test.cpp: np.random.seed(0) permutation of the rows, the first 90%
train; B = I - P diag(1 / diag(P)) with P = (X^T X + lambda I)^-1; the protocol of issue 6 point 4
(positives: rating >= 4; item universe: items with a training rating; candidates: universe items
the user did not rate in training; ties to the lower item index; Recall@K over min(K, all of the
user's test positives), NDCG@K with binary relevance, its ideal over the same count).
Two inputs X: every training rating as one interaction (what `aekit train --model ease` does) and
training positives only (the issue's measurement, 0.3225 / 0.3115 at lambda 200).

Usage: bench/ease_reference.py [--lam 200]     (two 9,066^2 inverses: 2.5 GB, 471 s on one loaded core)
Output on 2026-11-26:
  lambda 200, every training rating: NDCG@100 0.3358  Recall@20 0.3326  (610 users)
  lambda 200, training positives only: NDCG@100 0.3225  Recall@20 0.3115  (610 users)
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from movielens_split import test_positives  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--lam", type=float, default=200.0)
parser.add_argument("--data", default=os.path.join(os.environ.get("AEKIT_DATA", os.path.expanduser("~/.cache/aekit")),
                                                   "movielens-small", "ratings_small.csv"))
args = parser.parse_args()

raw = np.loadtxt(args.data, delimiter=",", skiprows=1)
np.random.seed(0)
perm = np.random.permutation(len(raw))
cut = int(len(raw) * 0.9)
train, test = raw[perm[:cut]], raw[perm[cut:]]
users = {u: k for k, u in enumerate(np.unique(raw[:, 0]))}
items = {i: k for k, i in enumerate(np.unique(train[:, 1]))}  # the universe: items rated in training
n_users, n_items = len(users), len(items)
tu = np.array([users[u] for u in train[:, 0]])
ti = np.array([items[i] for i in train[:, 1]])
rated = np.zeros((n_users, n_items), dtype=bool)
rated[tu, ti] = True

positives = test_positives(test, users, items)  # user -> (rankable positive items, count of all positives)


def metrics(scores, ks=(20, 100)):
    scores = np.where(rated, -np.inf, scores)
    recall, ndcg = {k: [] for k in ks}, {k: [] for k in ks}
    discount = 1.0 / np.log2(np.arange(2, 102))
    for u, (pos, count) in positives.items():
        order = np.argsort(-scores[u], kind="stable")[:100]
        hits = np.isin(order, pos)
        for k in ks:
            recall[k].append(hits[:k].sum() / min(k, count))
            ndcg[k].append((hits[:k] * discount[:k]).sum() / discount[:min(k, count)].sum())
    return {f"recall@{k}": np.mean(recall[k]) for k in ks} | {f"ndcg@{k}": np.mean(ndcg[k]) for k in ks}, len(positives)


def ease(x, lam):
    g = x.T @ x + lam * np.eye(x.shape[1])
    p = np.linalg.inv(g)
    b = -p / np.diag(p)
    np.fill_diagonal(b, 0.0)
    return x @ b


every = rated.astype(np.float64)
pos_only = np.zeros((n_users, n_items))
keep = train[:, 2] >= 4
pos_only[tu[keep], ti[keep]] = 1.0
for name, x in (("every training rating", every), ("training positives only", pos_only)):
    m, n = metrics(ease(x, args.lam))
    print(f"lambda {args.lam:g}, {name}: NDCG@100 {m['ndcg@100']:.4f}  Recall@20 {m['recall@20']:.4f}  "
          f"({n} users)")
