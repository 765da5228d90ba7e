#!/usr/bin/python3
"""The validation search behind mult-dae's and mult-vae's defaults (issue 6): each setting trains
`aekit train --ratings DATA --model MODEL --holdout 0.1` (the issue's test split is held out and
never looked at here) with early stopping on aekit's own validation carve of 10% of each user's
training interactions, and is scored by its best validation NDCG@100 (1 - the validation loss).
`--seed` moves the initialisation, the shuffling, the dropout and the carve itself, so each setting
runs under every seed of --seeds and is scored by the mean; the spread between seeds says how large
a difference has to be to mean something. The refit on all of training is skipped (it cannot
change the carve's figure) unless --show-test asks for the test split, for the setting already
chosen.

Usage: bench/implicit_validation_search.py --model mult-vae [--grid NAME] [--seeds 0,1]
        [--jobs 1] [--threads 1] [--extra '--flag value ...'] [--show-test]
Each run takes 10 s to a minute on one idle thread (movielens-small); --jobs runs that many at once
(on a machine with the cores for it).
"""
import argparse
import concurrent.futures
import itertools
import json
import os
import shlex
import statistics
import subprocess
import tempfile
import time

parser = argparse.ArgumentParser()
parser.add_argument("--aekit", default=os.path.join(os.path.dirname(__file__), "..", "build", "aekit"))
parser.add_argument("--data", default="movielens-small")
parser.add_argument("--model", default="mult-vae", choices=["mult-vae", "mult-dae"])
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--jobs", type=int, default=1, help="runs at once")
parser.add_argument("--seeds", default="0", help="comma-separated; each setting runs under each")
parser.add_argument("--grid", default="default")
parser.add_argument("--extra", default="", help="flags added to every run")
parser.add_argument("--show-test", action="store_true")
args = parser.parse_args()

# A grid is either flag -> values (every combination is run) or a list of alternative flag strings
# (one change from the defaults each; "" is the defaults). Flags given after the model's defaults
# override them, and a grid's flag overrides the same flag of --extra; BENCHMARKS.md has every
# figure. The grids up to vae-code and dae-code ran against the defaults of then, items-600-200 for
# both models: --extra '--arch 600-200' reproduces them under today's.
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
    # one change at a time from the defaults, every direction not yet measured, in the order run
    # (the likeliest first, as one run takes minutes on the shared machine): the KL cap, the width,
    # the input dropout, the learning rate, then the rest; "" is the defaults
    "vae-one-change": ["--beta 0.4", "--arch 200", "--input-dropout 0.7", "--lr 0.002", "--beta 1.0",
                       "--lr 0.0005", "--input-dropout 0.3", "--arch 300-100", "--arch 600-100",
                       "--kl-warmup 5", "--kl-warmup 50", "--beta 0.1", "--arch 1200-200",
                       "--weight-decay 0.001", "--batch-size 32", "--patience 20", ""],
    # --arch 200 (one layer from the items to the code, as Liang et al.'s Mult-DAE) beat the rest of
    # vae-one-change by far; its neighbours: the code's width, and the other changes on top of it
    "vae-width": ["--arch 100", "--arch 400", "--arch 200 --lr 0.002", "--arch 200 --input-dropout 0.7",
                  "--arch 200 --beta 0.4", "--arch 200 --patience 20", "--arch 50"],
    # the code's width over seeds (each seed its own carve): vae-width's best against the defaults
    "vae-code": ["", "--arch 100", "--arch 200", "--arch 400", "--arch 800"],
    "dae-init": {"--init": ["pytorch", "xavier_uniform_small_bias"]},
    # their Mult-DAE is items-200-items (no hidden layer), not Mult-VAE's 600-200
    "dae-arch": {"--arch": ["200", "600-200"]},
    # mult-dae's untried directions: Liang et al.'s batch 500, their L2 (lambda 0.01 / batch, as
    # coupled weight decay 2 lambda), the learning rate, the patience
    "dae-batch": {"--batch-size": [64, 128, 500]},
    "dae-decay": {"--weight-decay": [0.0, 0.00125, 0.003]},
    "dae-lr": {"--lr": [0.0005, 0.002]},
    "dae-patience": {"--patience": [20]},
    "dae-one-change": ["", "--arch 200", "--arch 300-100", "--arch 1200-200", "--init xavier_uniform_small_bias",
                       "--input-dropout 0.3", "--input-dropout 0.7", "--lr 0.0005", "--weight-decay 0.0003",
                       "--weight-decay 0.005", "--batch-size 32", "--patience 20"],
    # mult-vae's finding tried on mult-dae: one layer from the items to the code, and its width
    "dae-code": ["", "--arch 100", "--arch 200", "--arch 400"],
}


def merged(extra, flags):
    """extra's flags, each replaced by the grid's value where the grid sets it too (aekit takes a
    flag once); every flag here takes one value."""
    pairs = dict(zip(extra[::2], extra[1::2]))
    pairs.update(zip(flags[::2], flags[1::2]))
    return [t for pair in pairs.items() for t in pair]


def settings(grid):
    if isinstance(grid, list):
        return [shlex.split(s) for s in grid]
    names = list(grid)
    combos = itertools.product(*(grid[n] for n in names)) if names else [()]
    return [[f for n, v in zip(names, values) for f in (n, str(v))] for values in combos]


def run(flags, seed):
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [args.aekit, "train", "--ratings", args.data, "--model", args.model, "--holdout", "0.1",
               "--threads", str(args.threads), "--seed", str(seed), "--json", "--out", os.path.join(tmp, "m.aek")]
        if not args.show_test:
            cmd += ["--refit", "false"]
        start = time.time()
        out = subprocess.run(cmd + flags, capture_output=True, text=True)
        seconds = time.time() - start
        if out.returncode != 0:
            return None, out.stderr.strip().splitlines()[-1:], seconds
        return json.loads(out.stdout.strip().splitlines()[-1]), None, seconds


seeds = [int(s) for s in args.seeds.split(",")]
runs = [(tuple(merged(shlex.split(args.extra), flags)), seed) for flags in settings(GRIDS[args.grid]) for seed in seeds]
results = {}
with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
    futures = {pool.submit(run, list(flags), seed): (flags, seed) for flags, seed in runs}
    for future in concurrent.futures.as_completed(futures):
        flags, seed = futures[future]
        summary, error, seconds = future.result()
        label = " ".join(flags) or "(defaults)"
        if summary is None:
            print(f"{label} seed {seed} failed: {error}", flush=True)
            continue
        ndcg = 1.0 - summary["best_val_loss"]
        line = (f"{ndcg:.4f}  seed {seed}  epochs {summary['epochs_run']:3d} best {summary.get('best_epoch')}  "
                f"{seconds:5.1f} s  {label}")
        if args.show_test:
            line += f"  test NDCG@100 {summary['test']['ndcg@100']:.4f} Recall@20 {summary['test']['recall@20']:.4f}"
        print(line, flush=True)
        results.setdefault(flags, []).append((seed, ndcg, summary.get("best_epoch"), summary))

print(f"\n{args.model} by mean validation NDCG@100 over seeds {args.seeds}:")
print("| flags | mean | " + " | ".join(f"seed {s}" for s in seeds) + " | best epochs |"
      + (" test NDCG@100 | test Recall@20 |" if args.show_test else ""))
print("| --- " * (3 + len(seeds) + (2 if args.show_test else 0)) + "|")
table = []
for flags, rs in results.items():
    by_seed = {s: (n, e, summ) for s, n, e, summ in rs}
    mean = statistics.mean(n for _, n, _, _ in rs)
    cells = [f"{by_seed[s][0]:.4f}" if s in by_seed else "-" for s in seeds]
    epochs = ", ".join(str(by_seed[s][1]) for s in seeds if s in by_seed)
    line = f"| `{' '.join(flags)}` | {mean:.4f} | " + " | ".join(cells) + f" | {epochs} |"
    if args.show_test:
        tests = [summ["test"] for _, _, _, summ in rs]
        line += (f" {statistics.mean(t['ndcg@100'] for t in tests):.4f} |"
                 f" {statistics.mean(t['recall@20'] for t in tests):.4f} |")
    table.append((-mean, line.replace("| `` |", "| (defaults) |")))
for _, line in sorted(table):
    print(line)
