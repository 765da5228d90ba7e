"""The issue's MovieLens split, shared by the recommender side-by-sides (seed_sae_, autorec_ and
mult_vae_side_by_side.py): movielens-small's ratings_small.csv, np.random.seed(0), a permutation of
the rows, the first 90% for training and the rest for testing (issue 6, point 6)."""

import os

import numpy as np

DEFAULT_RATINGS = os.path.join(os.environ.get("AEKIT_DATA", os.path.expanduser("~/.cache/aekit")),
                               "movielens-small", "ratings_small.csv")


def issue_split(path=DEFAULT_RATINGS):
    """(every row, training rows, test rows); a row is user, item, rating, timestamp."""
    raw = np.loadtxt(path, delimiter=",", skiprows=1)
    np.random.seed(0)
    perm = np.random.permutation(len(raw))
    cut = int(len(raw) * 0.9)
    return raw, raw[perm[:cut]], raw[perm[cut:]]


def test_positives(test, users, items):
    """user index -> (the test positives' column indices among `items`, the count of all the
    user's test positives, rankable or not): the issue's top-N protocol (a rating >= 4 is a
    positive; Recall's denominator counts them all)."""
    positives = {}
    for u, i, rating in test[:, :3]:
        if rating >= 4:
            rankable, count = positives.get(users[u], ([], 0))
            if i in items:
                rankable.append(items[i])
            positives[users[u]] = (rankable, count + 1)
    return positives


def dense_indices(raw):
    """(user id -> row, item id -> column): every id of the file, in ascending order."""
    users = {u: k for k, u in enumerate(np.unique(raw[:, 0]))}
    items = {i: k for k, i in enumerate(np.unique(raw[:, 1]))}
    return users, items
