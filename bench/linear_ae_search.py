#!/usr/bin/python3
"""Closed-form linear autoencoders on the issue's movielens-small split (issue 6: "an autoencoder
that beats EASE"), every choice made on aekit's own validation carve of the training ratings.

Reproduces, value for value, what `aekit train --ratings movielens-small --holdout 0.1 --model
ease|edlae` does before it solves on all of training: the issue's split (np.random.seed(0),
permutation of the rows, first 90% train), every training rating as one interaction, users and
items indexed by ascending id over the whole file, the item universe = items with a training
rating, and the validation carve of recsys/ease_fit.cpp (std::mt19937_64 seeded with --seed,
each user's interactions in ascending item order shuffled by aekit's Fisher-Yates, the first
lround(0.1f * n) (at most n - 1) held out). Validation NDCG@100 ranks a user's held-out items
among the universe items the user kept; test NDCG@100 / Recall@20 follow bench/ease_reference.py.

Every model is B = I - P diag(c) with P = (X^T X + Lambda)^-1 and a diagonal Lambda, which the
users' count (671 rows against 8,600 items) makes cheap by Woodbury:
  K = I + X Lambda^-1 X^T (users x users),  X P = K^-1 X Lambda^-1,
  diag(P) = 1 / Lambda - colsum((L^-1 X)^2) / Lambda^2   (K = L L^T),
so a setting costs a users^2 x items product instead of an items^3 inversion. The rated items are
never ranked, so only the off-diagonal part of X B = X - (X P) diag(c) matters: score = -(X P) c.
  ease     Lambda = lambda,                           c = 1 / diag(P)   (Steck 2019)
  edlae    Lambda = lambda + p / (1 - p) diag(G),     c = 1 / diag(P)   (Steck 2020, full emphasis)
  dlae     Lambda as edlae,                           c = Lambda        (no diagonal constraint)
  rdlae    Lambda as edlae,  c = max(Lambda, (1 - xi) / diag(P)): diag(B) <= xi (Moon et al. 2023,
           "It's enough: relaxing diagonal constraints in linear autoencoders"; xi 0 = edlae,
           xi 1 = dlae)
  pow      Lambda = lambda + a * diag(G)^beta, c = 1 / diag(P) (item-weighted L2; beta 1 = edlae)

Usage: bench/linear_ae_search.py [--grid NAME] [--show-test 'model:k=v,...'] [--seed 0]
"""
import argparse
import itertools
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from movielens_split import DEFAULT_RATINGS, issue_split  # noqa: E402

MASK64 = (1 << 64) - 1


class MT19937_64:
    """std::mt19937_64, as aekit's Rng (core/rng.h)."""

    def __init__(self, seed):
        self.mt = [0] * 312
        self.mt[0] = seed & MASK64
        for i in range(1, 312):
            self.mt[i] = (6364136223846793005 * (self.mt[i - 1] ^ (self.mt[i - 1] >> 62)) + i) & MASK64
        self.index = 312

    def _twist(self):
        mt = self.mt
        for i in range(312):
            x = (mt[i] & 0xFFFFFFFF80000000) | (mt[(i + 1) % 312] & 0x7FFFFFFF)
            xa = x >> 1
            if x & 1:
                xa ^= 0xB5026F5AA96619E9
            mt[i] = mt[(i + 156) % 312] ^ xa
        self.index = 0

    def __call__(self):
        if self.index >= 312:
            self._twist()
        y = self.mt[self.index]
        self.index += 1
        y ^= (y >> 29) & 0x5555555555555555
        y ^= (y << 17) & 0x71D67FFFEDA60000
        y ^= (y << 37) & 0xFFF7EEE000000000
        y ^= y >> 43
        return y & MASK64

    def below(self, n):
        limit = MASK64 - MASK64 % n
        while True:
            x = self()
            if x < limit:
                return x % n


def aekit_shuffle(items, rng):
    for i in range(len(items) - 1, 0, -1):
        j = rng.below(i + 1)
        items[i], items[j] = items[j], items[i]


def load(path, seed):
    raw, train, test = issue_split(path)
    users = {u: k for k, u in enumerate(np.unique(raw[:, 0]))}
    all_items = np.unique(raw[:, 1])
    universe = np.unique(train[:, 1])  # ascending ids: the order of aekit's columns among them
    col = {i: k for k, i in enumerate(universe)}
    m, n = len(users), len(universe)
    x = np.zeros((m, n))
    x[[users[u] for u in train[:, 0]], [col[i] for i in train[:, 1]]] = 1.0
    # The carve (ease_fit.cpp): rows in order, each row's columns ascending (aekit's columns run
    # over every item of the file, but the order among the universe items is the same).
    rng = MT19937_64(seed)
    fit = x.copy()
    held = []
    frac = float(np.float32(0.1))
    for r in range(m):
        row = list(np.flatnonzero(x[r]))
        count = len(row)
        h = min(int(np.floor(frac * count + 0.5)), count - 1)
        aekit_shuffle(row, rng)
        out = sorted(row[:max(h, 0)])
        fit[r, out] = 0.0
        held.append(np.array(out, dtype=np.int64))
    positives = {}
    for u, i, rating in test[:, :3]:
        if rating >= 4:
            pos, count = positives.get(users[u], ([], 0))
            if i in col:
                pos.append(col[i])
            positives[users[u]] = (pos, count + 1)
    del all_items
    return x, fit, held, positives


DISCOUNT = 1.0 / np.log2(np.arange(2, 102))


def ranked_top(scores, excluded, k=100):
    s = np.where(excluded, -np.inf, scores)
    # Ties to the lower index, as aekit's top_k: a stable sort of the negated scores.
    return np.argsort(-s, axis=1, kind="stable")[:, :k]


def validation_ndcg(scores, fit, held):
    rows = [r for r in range(len(held)) if len(held[r])]
    top = ranked_top(scores[rows], fit[rows] > 0)
    total = 0.0
    for k, r in enumerate(rows):
        hits = np.isin(top[k], held[r])
        total += (hits * DISCOUNT).sum() / DISCOUNT[:min(100, len(held[r]))].sum()
    return total / len(rows)


def test_metrics(scores, x, positives):
    users = sorted(positives)
    top = ranked_top(scores[users], x[users] > 0)
    ndcg, recall = [], []
    for k, u in enumerate(users):
        pos, count = positives[u]
        hits = np.isin(top[k], pos)
        ndcg.append((hits * DISCOUNT).sum() / DISCOUNT[:min(100, count)].sum())
        recall.append(hits[:20].sum() / min(20, count))
    return np.mean(ndcg), np.mean(recall)


def woodbury(x, lam_diag):
    """(X P, diag P) for P = (X^T X + diag(lam_diag))^-1."""
    xs = x / lam_diag
    k = np.eye(x.shape[0]) + xs @ x.T
    chol = np.linalg.cholesky(k)
    w = np.linalg.solve(chol, x)  # L^-1 X (small triangular system; solve is fast enough here)
    diag_p = 1.0 / lam_diag - (w * w).sum(axis=0) / lam_diag**2
    xp = np.linalg.solve(k, xs)
    return xp, diag_p


def scores_of(x, model, s):
    g = x.sum(axis=0)  # diag(X^T X) for binary X
    lam = s.get("lambda", 0.0)
    p = s.get("p", 0.0)
    if model == "pow":
        lam_diag = lam + s["a"] * g ** s["beta"]
    else:
        lam_diag = lam + p / (1.0 - p) * g
    lam_diag = np.maximum(lam_diag, 1e-9)  # an item without interactions: nothing to fit
    xp, diag_p = woodbury(x, lam_diag)
    if model in ("ease", "edlae", "pow"):
        c = 1.0 / diag_p
    elif model == "dlae":
        c = lam_diag
    elif model == "rdlae":
        c = np.maximum(lam_diag, (1.0 - s["xi"]) / diag_p)
    else:
        raise ValueError(model)
    return -xp * c


GRIDS = {
    "ease": [("ease", {"lambda": v}) for v in (20, 50, 100, 150, 200, 250, 300, 500, 1000)],
    "edlae": [("edlae", {"lambda": lam, "p": p})
              for p in (0.05, 0.1, 0.2, 0.25, 0.33, 0.5, 0.67)
              for lam in (1, 10, 30, 50, 100, 150, 200, 300, 500)],
    "dlae": [("dlae", {"lambda": lam, "p": p})
             for p in (0.1, 0.25, 0.5, 0.67, 0.8)
             for lam in (10, 30, 100, 200, 300, 500, 1000)],
    "rdlae": [("rdlae", {"lambda": lam, "p": p, "xi": xi})
              for xi in (0.05, 0.1, 0.2, 0.3, 0.5)
              for p in (0.1, 0.25, 0.5)
              for lam in (30, 100, 200, 300, 500)],
    "pow": [("pow", {"lambda": lam, "a": a, "beta": beta})
            for beta in (0.25, 0.5, 0.75, 1.25, 1.5)
            for a in (0.1, 0.3, 1, 3, 10, 30)
            for lam in (10, 30, 100, 200, 300)],
}


def parse_setting(text):
    model, _, rest = text.partition(":")
    s = {}
    for kv in filter(None, rest.split(",")):
        k, v = kv.split("=")
        s[k] = float(v)
    return model, s


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=DEFAULT_RATINGS)
    parser.add_argument("--seed", type=int, default=0, help="aekit's --seed: the carve")
    parser.add_argument("--grid", default="ease", help="comma-separated: " + ", ".join(GRIDS))
    parser.add_argument("--setting", action="append", default=[],
                        help="extra setting(s), 'model:k=v,...' (validation only)")
    parser.add_argument("--show-test", action="append", default=[],
                        help="'model:k=v,...': solve on all of training and print the test figures")
    args = parser.parse_args()

    t0 = time.time()
    x, fit, held, positives = load(args.data, args.seed)
    print(f"{x.shape[0]} users, {x.shape[1]} items with training ratings, {int(x.sum())} interactions, "
          f"{int(x.sum() - fit.sum())} held out for validation ({time.time() - t0:.1f} s)", flush=True)
    settings = [s for name in filter(None, args.grid.split(",")) for s in GRIDS[name]]
    settings += [parse_setting(t) for t in args.setting]
    best = None
    for model, s in settings:
        ndcg = validation_ndcg(scores_of(fit, model, s), fit, held)
        print(f"validation {model:6s} {' '.join(f'{k}={v:g}' for k, v in s.items()):40s} NDCG@100 {ndcg:.4f}",
              flush=True)
        if best is None or ndcg > best[0]:
            best = (ndcg, model, s)
    if best:
        print(f"best: {best[1]} {best[2]} {best[0]:.4f}")
    for text in args.show_test:
        model, s = parse_setting(text)
        ndcg, recall = test_metrics(scores_of(x, model, s), x, positives)
        print(f"test {model} {s}: NDCG@100 {ndcg:.4f}  Recall@20 {recall:.4f}  ({len(positives)} users)")


if __name__ == "__main__":
    main()
