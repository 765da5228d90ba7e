#!/usr/bin/python3
"""Synthetic ratings shaped like MovieLens-20M for the scale run of issue 6 point 7: 138,493 users,
26,744 items, 20,000,263 ratings by default; item popularity follows a power law (Zipf-like,
exponent --alpha), each user's count a log-normal around the mean, no (user, item) pair twice,
ratings 0.5-5 in half steps from a user bias plus an item bias plus noise. Written as
`userId,movieId,rating` with a header, which `aekit train --ratings FILE` reads.

Usage: bench/synthetic_ratings.py --out ml20m-like.csv [--scale 0.01] [--seed 0]
Then:  /usr/bin/time -v aekit train --ratings ml20m-like.csv --model autorec-i --arch 500 --epochs 1 \
           --validation-split 0 --patience 0 --threads 2 --out scale.aek
"""
import argparse

import numpy as np

parser = argparse.ArgumentParser()
parser.add_argument("--out", required=True)
parser.add_argument("--users", type=int, default=138493)
parser.add_argument("--items", type=int, default=26744)
parser.add_argument("--ratings", type=int, default=20000263)
parser.add_argument("--scale", type=float, default=1.0, help="multiplies users and ratings (items stay)")
parser.add_argument("--alpha", type=float, default=1.0, help="power-law exponent of item popularity")
parser.add_argument("--seed", type=int, default=0)
args = parser.parse_args()

rng = np.random.default_rng(args.seed)
users = max(1, int(args.users * args.scale))
items = args.items
target = int(args.ratings * args.scale)

# Item popularity: p(rank r) ~ 1 / r^alpha, shuffled over the item ids.
popularity = 1.0 / np.arange(1, items + 1) ** args.alpha
popularity = popularity[rng.permutation(items)]
popularity /= popularity.sum()

# Per-user counts: log-normal, at least 20 (as MovieLens keeps users with 20 or more), scaled to
# the target total, at most every item.
counts = rng.lognormal(mean=0.0, sigma=1.0, size=users)
counts = np.maximum(20, np.round(counts / counts.sum() * target)).astype(np.int64)
counts = np.minimum(counts, items)

user_bias = rng.normal(0.0, 0.4, users)
item_bias = rng.normal(0.0, 0.5, items)
with open(args.out, "w") as out:
    out.write("userId,movieId,rating\n")
    for start in range(0, users, 2000):
        rows = []
        for u in range(start, min(users, start + 2000)):
            chosen = rng.choice(items, size=counts[u], replace=False, p=popularity)
            score = 3.5 + user_bias[u] + item_bias[chosen] + rng.normal(0.0, 0.8, chosen.size)
            rating = np.clip(np.round(score * 2) / 2, 0.5, 5.0)
            rows.append(np.column_stack([np.full(chosen.size, u + 1), chosen + 1, rating]))
        block = np.concatenate(rows)
        np.savetxt(out, block, fmt=["%d", "%d", "%.1f"], delimiter=",")
print(f"{args.out}: {users} users, {items} items, {int(counts.sum())} ratings")
