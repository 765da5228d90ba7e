#!/usr/bin/python3
"""The validation search behind mult-dae's and mult-vae's defaults (issue 6): each setting trains
`aekit train --ratings DATA --model MODEL --holdout 0.1` (the issue's test split is held out and
never looked at here) with early stopping on aekit's own validation carve of 10% of each user's
training interactions, and is scored by its best validation NDCG@100 (1 - the validation loss).
The table is sorted by that; a setting's test NDCG@100 and Recall@20 are printed only with
--show-test, for the setting already chosen.

Usage: bench/implicit_validation_search.py --model mult-vae [--grid NAME] [--threads 1]
        [--extra '--flag value ...'] [--show-test]
Each run takes 10 s to a minute on one thread (movielens-small).
"""
import argparse
import itertools
import json
import os
import shlex
import subprocess
import tempfile
import time

parser = argparse.ArgumentParser()
parser.add_argument("--aekit", default=os.path.join(os.path.dirname(__file__), "..", "build", "aekit"))
parser.add_argument("--data", default="movielens-small")
parser.add_argument("--model", default="mult-vae", choices=["mult-vae", "mult-dae"])
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--grid", default="default")
parser.add_argument("--extra", default="", help="flags added to every run")
parser.add_argument("--show-test", action="store_true")
args = parser.parse_args()

# Each grid: flag -> values; every combination is run (flags given after the model's defaults
# override them; BENCHMARKS.md has every figure).
GRIDS = {
    "default": {},
    # mult-vae: the batch (Liang et al.'s 500 users is 2 steps an epoch here), the annealing length
    # in epochs to the cap, the cap itself
    "vae-batch": {"--batch-size": [16, 64, 128, 500]},
    "vae-anneal": {"--kl-warmup": [5, 20, 50]},
    "vae-cap": {"--beta": [0.1, 0.2, 0.4]},
    "vae-lr": {"--lr": [0.0005, 0.002]},
    # Liang et al.'s code: initialisation, and the KL annealed per update step (their
    # total_anneal_steps 200,000 with anneal_cap 0.2; on 600 users at batch 64, 10 steps an epoch)
    "vae-init": {"--init": ["pytorch", "xavier_uniform_small_bias"]},
    "vae-steps": {"--kl-anneal-steps": [200000, 2000, 500]},
    "dae-init": {"--init": ["pytorch", "xavier_uniform_small_bias"]},
    # their Mult-DAE is items-200-items (no hidden layer), not Mult-VAE's 600-200
    "dae-arch": {"--arch": ["200", "600-200"]},
    # mult-dae's untried directions: Liang et al.'s batch 500, their L2 (lambda 0.01 / batch, as
    # coupled weight decay 2 lambda), the learning rate, the patience
    "dae-batch": {"--batch-size": [64, 128, 500]},
    "dae-decay": {"--weight-decay": [0.0, 0.00125, 0.003]},
    "dae-lr": {"--lr": [0.0005, 0.002]},
    "dae-patience": {"--patience": [20]},
}


def run(flags):
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [args.aekit, "train", "--ratings", args.data, "--model", args.model, "--holdout", "0.1",
               "--threads", str(args.threads), "--json", "--out", os.path.join(tmp, "m.aek")] + flags
        start = time.time()
        out = subprocess.run(cmd, capture_output=True, text=True)
        seconds = time.time() - start
        if out.returncode != 0:
            return None, out.stderr.strip().splitlines()[-1:], seconds
        summary = json.loads(out.stdout.strip().splitlines()[-1])
    return summary, None, seconds


grid = GRIDS[args.grid]
names = list(grid)
rows = []
for values in itertools.product(*(grid[n] for n in names)) if names else [()]:
    flags = shlex.split(args.extra)
    for n, v in zip(names, values):
        flags += [n, str(v)]
    summary, error, seconds = run(flags)
    if summary is None:
        print(" ".join(flags), "failed:", error, flush=True)
        continue
    ndcg = 1.0 - summary["best_val_loss"]
    line = (f"{ndcg:.4f}  epochs {summary['epochs_run']:3d} best {summary.get('best_epoch')}  {seconds:5.1f} s  "
            f"{' '.join(flags) or '(defaults)'}")
    if args.show_test:
        line += f"  test NDCG@100 {summary['test']['ndcg@100']:.4f} Recall@20 {summary['test']['recall@20']:.4f}"
    print(line, flush=True)
    rows.append((-ndcg, line))
print(f"\n{args.model} by validation NDCG@100:")
for _, line in sorted(rows):
    print(line)
