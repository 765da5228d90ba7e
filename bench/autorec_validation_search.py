#!/usr/bin/python3
"""The validation search behind autorec-i's defaults (issue 6), and autorec-u's and deeprec's
(--model): each setting trains
`aekit train --ratings DATA --model MODEL --holdout 0.1` (the test split of the issue is held
out and never looked at here) with early stopping on aekit's own validation carve of 10% of the
training ratings, and is scored by its best validation RMSE (the square root of the validation
loss, a mean squared error over held-out ratings). The table is sorted by that; the test RMSE of a
setting is printed only with --show-test, for the setting already chosen.

Usage: bench/autorec_validation_search.py [--aekit build/aekit] [--model autorec-i] [--threads 1] [--grid NAME]
        [--extra '--flag value ...'] [--show-test] [--seeds 0,1,2] [--inner]
Each run takes seconds to a minute on one thread (movielens-small).

--seeds S,...  runs every setting once per seed (`--seed S`: aekit's validation carve, the
               initialisation, the shuffling) and scores it by the mean over the seeds.
--inner        scores on an inner holdout instead of aekit's carve, so that what the carve cannot
               measure (--refit trains on the carve too) can be chosen as well: the issue's
               training ratings (np.random.seed(0) permutation, first 90%) are split again, with
               np.random.seed(1000 + S), into inner-train (90%) and inner-validation (10%) files;
               aekit trains on inner-train (its own carve for early stopping) and is scored on the
               inner validation file as `--ratings-test`, exactly as the test would be. The test
               split is never read.
"""
import argparse
import itertools
import json
import math
import os
import shlex
import subprocess
import sys
import tempfile

parser = argparse.ArgumentParser()
parser.add_argument("--aekit", default=os.path.join(os.path.dirname(__file__), "..", "build", "aekit"))
parser.add_argument("--data", default="movielens-small")
parser.add_argument("--model", default="autorec-i", choices=["autorec-i", "autorec-u", "deeprec"])
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--grid", default="default")
parser.add_argument("--extra", default="", help="flags added to every run")
parser.add_argument("--show-test", action="store_true")
parser.add_argument("--seeds", default="", help="comma-separated seeds; every setting runs once per seed")
parser.add_argument("--inner", action="store_true", help="score on an inner holdout of the training ratings")
args = parser.parse_args()
seeds = [int(s) for s in args.seeds.split(",")] if args.seeds else [None]
if args.inner and args.show_test:
    parser.error("--inner never reads the test split: drop --show-test")

# Each grid: flag -> values; every combination is run.
# The stages of the search behind the defaults, each a grid around the previous stage's best
# (flags given after the defaults override them; BENCHMARKS.md has every figure):
#   batch     batch 64 (the old default) overfits within 5 epochs; fewer, larger steps help
#   dropout   the input dropout at batch 1024
#   decay     AdamW's decoupled weight decay and the learning rate at batch 1024
#   adam-l2   coupled L2 under Adam instead, at the old batch 64
#   patience  how long to wait for the slow late gains
GRIDS = {
    "default": {},
    "batch": {"--input-dropout": [0.5], "--patience": [10], "--batch-size": [64, 256, 512, 1024]},
    "dropout": {"--batch-size": [1024], "--patience": [10], "--input-dropout": [0.3, 0.5, 0.7, 0.8]},
    "decay": {"--batch-size": [1024], "--patience": [10], "--input-dropout": [0.7],
              "--weight-decay": [0.3, 1, 3], "--lr": [0.001, 0.002]},
    "adam-l2": {"--batch-size": [64], "--patience": [8], "--optimizer": ["adam"], "--weight-decay": [1e-4, 1e-3, 1e-2],
                "--input-dropout": [0, 0.5]},
    "patience": {"--patience": [10, 20]},
    # Scored over seeds (--seeds 0,1,2 --inner): the defaults above were chosen on seed 0's carve
    # alone and missed the 0.850 target on seeds 1 and 2; each grid changes one thing
    "refit": {"--refit": ["false", "true"]},
    "seeds-dropout": {"--input-dropout": [0.6, 0.8]},
    "seeds-decay": {"--weight-decay": [0.5, 2]},
    "seeds-width": {"--arch": ["300", "800"]},
    "seeds-narrow": {"--arch": ["200"]},
    "seeds-patience": {"--patience": [40]},
    # autorec-u and deeprec (--model): users as rows, 604 of them on movielens-small, so the batch
    # is the first thing to look at, then denoising and the network's size
    "u-batch": {"--batch-size": [16, 64, 256]},
    "u-dropout": {"--input-dropout": [0.0, 0.3, 0.5]},
    "u-decay": {"--weight-decay": [0.1, 3, 10]},
    # 500 hidden units on 9,066-wide user rows is 9 million weights for 604 users
    "u-size": {"--arch": ["50", "100", "200"]},
    "deeprec-lr": {"--lr": [0.0001, 0.0003, 0.003]},
    "deeprec-refeed": {"--refeed": [0, 1]},
    "deeprec-dropout": {"--code-dropout": [0.0, 0.5, 0.8], "--input-dropout": [0.0, 0.5]},
    "deeprec-size": {"--arch": ["128-64", "256-128", "512-512-1024"]},
    # the batch (604 training users: 10 steps an epoch at 64) and coupled L2 under Adam
    "deeprec-batch": {"--batch-size": [16, 256]},
    "deeprec-decay": {"--weight-decay": [0.001, 0.01]},
    # deeprec-dropout's best (input dropout 0.5 on top of code dropout 0.8), pushed further
    "deeprec-denoise": {"--input-dropout": [0.7, 0.8], "--code-dropout": [0.8, 0.9]},
}


def inner_files(seed, folder):
    """(inner-train, inner-validation) files of the issue's training ratings for this seed."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from movielens_split import DEFAULT_RATINGS, issue_split
    import numpy as np
    _, train, _ = issue_split(args.data if os.path.exists(args.data) else DEFAULT_RATINGS)
    np.random.seed(1000 + seed)
    perm = np.random.permutation(len(train))
    cut = int(len(train) * 0.9)
    paths = []
    for name, rows in (("inner_train.csv", train[perm[:cut]]), ("inner_validation.csv", train[perm[cut:]])):
        path = os.path.join(folder, f"{seed}_{name}")
        with open(path, "w") as f:
            f.write("userId,movieId,rating,timestamp\n")
            for u, i, r, t in rows:
                f.write(f"{int(u)},{int(i)},{r:g},{int(t)}\n")
        paths.append(path)
    return paths


INNER = {}
INNER_DIR = tempfile.TemporaryDirectory() if args.inner else None


def run(flags, seed):
    with tempfile.TemporaryDirectory() as tmp:
        if args.inner:
            if seed not in INNER:
                INNER[seed] = inner_files(seed, INNER_DIR.name)
            data = ["--ratings", INNER[seed][0], "--ratings-test", INNER[seed][1]]
        else:
            data = ["--ratings", args.data, "--holdout", "0.1"]
        cmd = [args.aekit, "train"] + data + ["--model", args.model,
               "--threads", str(args.threads), "--json", "--out", os.path.join(tmp, "m.aek")] + flags
        if seed is not None:
            cmd += ["--seed", str(seed)]
        out = subprocess.run(cmd, capture_output=True, text=True)
        if out.returncode != 0:
            return None, out.stderr.strip().splitlines()[-1:]
        summary = json.loads(out.stdout.strip().splitlines()[-1])
    return summary, None


def val_rmse(summary):
    return math.sqrt(summary["best_val_loss"]) if "best_val_loss" in summary else float("nan")


grid = GRIDS[args.grid]
names = list(grid)
rows = []
for values in itertools.product(*(grid[n] for n in names)) if names else [()]:
    flags = shlex.split(args.extra)
    for n, v in zip(names, values):
        flags += [n, str(v)]
    scores = []
    for seed in seeds:
        summary, error = run(flags, seed)
        if summary is None:
            print(" ".join(flags), f"seed {seed} failed:", error, flush=True)
            break
        r = val_rmse(summary)
        inner = summary["test"]["rmse"] if args.inner else float("nan")
        line = (f"{r:.4f}  epochs {summary['epochs_run']:3d} best {summary.get('best_epoch')}  " +
                (f"seed {seed}  " if seed is not None else "") + " ".join(flags))
        if args.inner:
            line = f"inner {inner:.4f}  carve " + line
        if args.show_test:
            line += f"  test {summary['test']['rmse']:.4f}"
        print(line, flush=True)
        scores.append((inner if args.inner else r, summary.get("test", {}).get("rmse", float("nan"))))
    if len(scores) < len(seeds):
        continue
    if len(seeds) > 1:
        mean = sum(s for s, _ in scores) / len(scores)
        line = f"{mean:.4f}  mean of {len(seeds)} ({' '.join(f'{s:.4f}' for s, _ in scores)})  {' '.join(flags)}"
        if args.show_test:
            line += "  test " + " ".join(f"{t:.4f}" for _, t in scores) + f" mean {sum(t for _, t in scores) / len(scores):.4f}"
        print(line, flush=True)
        rows.append((mean, line))
    else:
        rows.append((scores[0][0], line))
print("\nby " + ("inner-holdout" if args.inner else "validation") + " RMSE" + (" (mean over seeds)" if len(seeds) > 1 else "") + ":")
for _, line in sorted(rows):
    print(line)
