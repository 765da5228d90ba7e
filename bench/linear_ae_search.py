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
so a setting costs a users^3 inversion and sparse products instead of an items^3 inversion. The rated items are
never ranked, so only the off-diagonal part of X B = X - (X P) diag(c) matters: score = -(X P) c.
  ease     Lambda = lambda,                           c = 1 / diag(P)   (Steck 2019)
  edlae    Lambda = lambda + p / (1 - p) diag(G),     c = 1 / diag(P)   (Steck 2020, full emphasis)
  dlae     Lambda as edlae,                           c = Lambda        (no diagonal constraint)
  rdlae    Lambda as edlae,  c = max(Lambda, (1 - xi) / diag(P)): diag(B) <= xi (Moon et al. 2023,
           "It's enough: relaxing diagonal constraints in linear autoencoders"; xi 0 = edlae,
           xi 1 = dlae)
  pow      Lambda = lambda + a * diag(G)^beta, c = 1 / diag(P) (item-weighted L2; beta 1 = edlae)
  target   input X, target Y = X with the ratings under 4 weighted gamma (the rest 1), zero
           diagonal: B = P X^T Y - P diag(mu), mu_j = (P X^T Y)_jj / P_jj (gamma 1 = ease); gin
           weights the input the same way (gin = gamma: EASE on the weighted matrix)
  lowpass  ease plus a GF-CF-style low-rank branch (lowpass_scores)
  uw       edlae or pow with each user's reconstruction error weighted by n_u^-alpha (n_u: the
           user's interactions, scaled so that the interactions' total weight stays):
           G = X^T W X

Usage: bench/linear_ae_search.py [--grid NAME] [--show-test 'model:k=v,...'] [--seed 0]
"""
import argparse
import itertools
import os
import sys
import time

import numpy as np
import scipy.sparse

sys.path.insert(0, os.path.dirname(__file__))
from movielens_split import DEFAULT_RATINGS, issue_split, test_positives  # noqa: E402

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
    rating = np.zeros((m, n))
    x[[users[u] for u in train[:, 0]], [col[i] for i in train[:, 1]]] = 1.0
    rating[[users[u] for u in train[:, 0]], [col[i] for i in train[:, 1]]] = train[:, 2]
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
    del all_items
    return x, fit, held, test_positives(test, users, col), rating


DISCOUNT = 1.0 / np.log2(np.arange(2, 102))


def ranked_top(scores, excluded, k=100):
    s = np.where(excluded, -np.inf, scores)
    # Ties to the lower index, as aekit's top_k: the k best by partition (with the k-th score's
    # ties all kept), then a stable sort of the negated scores.
    kth = -np.partition(-s, k - 1, axis=1)[:, k - 1:k]
    out = np.empty((s.shape[0], k), dtype=np.int64)
    for r in range(s.shape[0]):
        cand = np.flatnonzero(s[r] >= kth[r])
        out[r] = cand[np.argsort(-s[r, cand], kind="stable")[:k]]
    return out


def validation_ndcg(scores, fit, held, rating):
    """(NDCG@100 of the held-out interactions, as aekit's carve scores them; NDCG@100 of the
    held-out positives (rating >= 4), the test's relevance, over the users holding one out)."""
    rows = [r for r in range(len(held)) if len(held[r])]
    top = ranked_top(scores[rows], fit[rows] > 0)
    total, total_pos, users_pos = 0.0, 0.0, 0
    for k, r in enumerate(rows):
        hits = np.isin(top[k], held[r])
        total += (hits * DISCOUNT).sum() / DISCOUNT[:min(100, len(held[r]))].sum()
        pos = held[r][rating[r, held[r]] >= 4]
        if len(pos):
            hits = np.isin(top[k], pos)
            total_pos += (hits * DISCOUNT).sum() / DISCOUNT[:min(100, len(pos))].sum()
            users_pos += 1
    return total / len(rows), total_pos / users_pos


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
    """(X P, diag P) for P = (X^T X + diag(lam_diag))^-1; x is a scipy.sparse CSR matrix.
    With K^-1 X = (X^T K^-1)^T (a sparse x dense product): X P = (K^-1 X) / Lambda and
    diag(P) = 1 / Lambda - colsum(X * K^-1 X) / Lambda^2."""
    k = np.eye(x.shape[0]) + (x @ scipy.sparse.diags(1.0 / lam_diag) @ x.T).toarray()
    kinv = np.linalg.inv(k)
    kinv_x = (x.T @ kinv).T  # K is symmetric
    diag_p = 1.0 / lam_diag - np.asarray(x.multiply(kinv_x).sum(axis=0)).ravel() / lam_diag**2
    return kinv_x / lam_diag, diag_p, kinv


def weighted(x, rating, gamma):
    """x with its entries of a rating under 4 weighted gamma."""
    y = x.copy().tocsr()
    y.data = np.where(rating.multiply(x > 0).tocsr().data >= 4, 1.0, gamma) * y.data
    return y


def lowpass_scores(x, s):
    """EASE plus an ideal low-pass term as GF-CF's (Shen et al. 2021): the top k right singular
    vectors V of D_u^-1/2 X D_i^-1/2, the term x D_i^-1/2 V V^T D_i^1/2 scaled to EASE's mean
    absolute score and weighted eta: a second, low-rank linear branch beside EASE's full-rank one."""
    import scipy.sparse.linalg
    base = scores_of(x, "ease", {"lambda": s["lambda"]})
    du = np.maximum(np.asarray(x.sum(axis=1)).ravel(), 1.0)
    di = np.maximum(np.asarray(x.sum(axis=0)).ravel(), 1.0)
    _, sv, vt = scipy.sparse.linalg.svds(scipy.sparse.diags(du**-0.5) @ x @ scipy.sparse.diags(di**-0.5),
                                         k=int(s["k"]))
    v = vt[np.argsort(-sv)].T
    low = (x @ scipy.sparse.diags(di**-0.5) @ v) @ (v.T * di**0.5)
    return base + s["eta"] * low * (np.abs(base).mean() / np.abs(low).mean())


def scores_of(x, model, s, rating=None):
    if model == "lowpass":
        return lowpass_scores(x, s)
    target = None
    if "gamma" in s:
        target = weighted(x, rating, s["gamma"])
    if "gin" in s:
        x = weighted(x, rating, s["gin"])
    # A user-weighted loss (weight n_u^-alpha on user u's reconstruction error) is X^T W X in place
    # of X^T X: the rows of X scaled by sqrt(w_u). X P then comes out row-scaled too, which does
    # not change any user's ranking.
    alpha = s.get("alpha", 0.0)
    if alpha:
        counts = np.maximum(np.asarray(x.sum(axis=1)).ravel(), 1.0)
        w = counts ** -alpha
        w *= counts.sum() / (w * counts).sum()  # the interactions' total weight kept: lambda's scale
        x = scipy.sparse.diags(np.sqrt(w)) @ x
    g = np.asarray(x.multiply(x).sum(axis=0)).ravel()  # diag(X^T W X)
    lam = s.get("lambda", 0.0)
    p = s.get("p", 0.0)
    a = s.get("a", p / (1.0 - p))
    lam_diag = lam + a * g ** s.get("beta", 1.0)
    lam_diag = np.maximum(lam_diag, 1e-9)  # an item without interactions: nothing to fit
    xp, diag_p, kinv = woodbury(x, lam_diag)
    if model == "target":
        # Input X, target Y = X with the ratings under 4 weighted gamma (1: EASE's target), zero
        # diagonal: B = P X^T Y - P diag(mu), mu_j = (P X^T Y)_jj / P_jj; X P X^T = I - K^-1.
        y = target
        mu = np.asarray(y.multiply(xp).sum(axis=0)).ravel() / diag_p
        return np.asarray(y.todense()) - (kinv @ y) - xp * mu
    if model in ("ease", "edlae", "pow", "uw"):
        c = 1.0 / diag_p
    elif model == "dlae":
        c = lam_diag
    elif model == "rdlae":
        c = np.maximum(lam_diag, (1.0 - s["xi"]) / diag_p)
    else:
        raise ValueError(model)
    return -xp * c


GRIDS = {
    "ease": [("ease", {"lambda": v}) for v in (20, 50, 100, 150, 200, 250, 300, 400, 500, 700, 1000)],
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
    "target": [("target", {"lambda": lam, "gamma": gamma})
               for gamma in (0.0, 0.25, 0.5, 0.75)
               for lam in (100, 200, 300, 500)],
    "easew": [("target", {"lambda": lam, "gamma": gamma, "gin": gamma})
              for gamma in (0.25, 0.5, 0.75)
              for lam in (100, 200, 300, 500)],
    # Smaller grids around the optima, scored on both relevances (the session's second pass).
    "models2": ([("edlae", {"lambda": lam, "p": p}) for p in (0.1, 0.25, 0.5) for lam in (100, 200, 300, 500)]
                + [("dlae", {"lambda": lam, "p": p}) for p in (0.25, 0.5, 0.8) for lam in (30, 100, 300, 1000)]
                + [("rdlae", {"lambda": lam, "p": p, "xi": xi}) for xi in (0.1, 0.3, 0.5) for p in (0.1, 0.25)
                   for lam in (100, 200, 300)]
                + [("pow", {"lambda": lam, "a": a, "beta": beta}) for beta in (0.5, 0.75, 1.25) for a in (0.3, 1, 3)
                   for lam in (100, 200, 300)]),
    "weighted2": ([("target", {"lambda": lam, "gamma": g, "gin": g}) for g in (0.3, 0.4, 0.5, 0.6)
                   for lam in (150, 200, 250)]
                  + [("edlae", {"lambda": lam, "p": p, "gin": 0.5}) for p in (0.1, 0.25, 0.5)
                     for lam in (100, 150, 200, 300)]
                  + [("rdlae", {"lambda": lam, "p": 0.25, "xi": xi, "gin": 0.5}) for xi in (0.1, 0.3)
                     for lam in (150, 200, 300)]),
    "lowpass": [("lowpass", {"lambda": 250, "k": k, "eta": eta}) for k in (16, 64, 256) for eta in (0.1, 0.3, 1.0)],
    "uw": [("uw", {"lambda": lam, "p": p, "alpha": alpha})
           for alpha in (0.25, 0.5, 0.75, 1.0)
           for p in (0.0, 0.1, 0.25)
           for lam in (30, 100, 200, 300, 500)],
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
    x, fit, held, positives, rating = load(args.data, args.seed)
    print(f"{x.shape[0]} users, {x.shape[1]} items with training ratings, {int(x.sum())} interactions, "
          f"{int(x.sum() - fit.sum())} held out for validation ({time.time() - t0:.1f} s)", flush=True)
    fit_sparse, x_sparse = scipy.sparse.csr_matrix(fit), scipy.sparse.csr_matrix(x)
    fit_rating, x_rating = scipy.sparse.csr_matrix(rating * fit), scipy.sparse.csr_matrix(rating)
    settings = [s for name in filter(None, args.grid.split(",")) for s in GRIDS[name]]
    settings += [parse_setting(t) for t in args.setting]
    best = None
    for model, s in settings:
        ndcg, ndcg_pos = validation_ndcg(scores_of(fit_sparse, model, s, fit_rating), fit, held, rating)
        print(f"validation {model:6s} {' '.join(f'{k}={v:g}' for k, v in s.items()):40s} NDCG@100 {ndcg:.4f}"
              f"  positives {ndcg_pos:.4f}", flush=True)
        if best is None or ndcg > best[0]:
            best = (ndcg, model, s)
    if best:
        print(f"best: {best[1]} {best[2]} {best[0]:.4f}")
    for text in args.show_test:
        model, s = parse_setting(text)
        ndcg, recall = test_metrics(scores_of(x_sparse, model, s, x_rating), x, positives)
        print(f"test {model} {s}: NDCG@100 {ndcg:.4f}  Recall@20 {recall:.4f}  ({len(positives)} users)")


if __name__ == "__main__":
    main()
