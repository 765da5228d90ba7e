#!/usr/bin/python3
"""The seeds' movie recommender (seeds 000/002/003) in PyTorch, exactly as the seeds run it,
beside `aekit train --preset seed-sae` on the same data and split: time for all epochs and both
metrics (the seeds' per-user metric and global RMSE).

Split: movielens-small ratings_small.csv, np.random.seed(0), a permutation of the rows, the first
int(0.9 n) train (aekit: --holdout 0.1 --holdout-seed 0). Ids are mapped over the whole file
(the seeds' nb_users/nb_movies span both sets).

Usage: bench/seed_sae_side_by_side.py [--epochs 200] [--aekit build/aekit] [--torch-threads 1,2]
                                      [--threads 0]
PyTorch runs at each of --torch-threads (each in a child process, bench/torch_best.py) and the
fastest is the reference; aekit runs at its default thread count (--threads N to fix it).
Run it on a quiet machine: it reports wall-clock time.
"""
import argparse
import json
import resource
import os
import subprocess
import sys
import tempfile
import time

import torch_threads  # noqa: F401  (before numpy and torch: pins their thread pools)

import numpy as np

import torch_best
from movielens_split import DEFAULT_RATINGS, issue_split

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=200)
parser.add_argument("--aekit", default=os.path.join(os.path.dirname(__file__), "..", "build", "aekit"))
parser.add_argument("--threads", type=int, default=0,
                    help="aekit's threads (0: its default); with --torch-only, PyTorch's")
parser.add_argument("--torch-threads", default="1,2", help="PyTorch's thread counts to try")
parser.add_argument("--torch-only", action="store_true", help="run the PyTorch part alone, print JSON")
parser.add_argument("--aekit-also", type=int, default=2,
                    help="also time aekit at this many threads when its default chose another count (0: no); "
                         "the default counts the products, not the optimizer's pass, and picks 1 thread here")
parser.add_argument("--data", default=DEFAULT_RATINGS)
# PyTorch at its best: weight_decay 0.5 drives the seeds' weights towards zero, and subnormal
# arithmetic made its loop 1.6-1.8x slower (10 epochs: 22-24 s, 13.76 s flushed, same metrics).
parser.add_argument("--no-flush-denormal", dest="flush_denormal", action="store_false",
                    help="leave PyTorch's subnormal arithmetic on (slower; the default flushes)")
args = parser.parse_args()


def run_torch():
    import torch
    import torch.nn as nn
    import torch.optim as optim

    torch_threads.pin_torch(torch, args.threads)
    if args.flush_denormal and not torch.set_flush_denormal(True):
        print("note: this CPU cannot flush denormals; PyTorch runs with subnormal arithmetic", file=sys.stderr)

    raw, train_rows, test_rows = issue_split(args.data)
    users = np.unique(raw[:, 0]).astype(np.int64)
    items = np.unique(raw[:, 1]).astype(np.int64)
    uidx = {u: k for k, u in enumerate(users)}
    iidx = {i: k for k, i in enumerate(items)}
    nb_users, nb_movies = len(users), len(items)

    def convert(rows):
        m = np.zeros((nb_users, nb_movies), dtype=np.float32)
        for u, i, r in rows[:, :3]:
            m[uidx[int(u)], iidx[int(i)]] = r
        return torch.FloatTensor(m)

    training_set = convert(train_rows)
    test_set = convert(test_rows)

    class SAE(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = nn.Linear(nb_movies, 20)
            self.fc2 = nn.Linear(20, 10)
            self.fc3 = nn.Linear(10, 20)
            self.fc4 = nn.Linear(20, nb_movies)
            self.activation = nn.Sigmoid()

        def forward(self, x):
            x = self.activation(self.fc1(x))
            x = self.activation(self.fc2(x))
            x = self.activation(self.fc3(x))
            return self.fc4(x)

    torch.manual_seed(0)
    sae = SAE()
    criterion = nn.MSELoss()
    optimizer = optim.RMSprop(sae.parameters(), lr=0.01, weight_decay=0.5)
    start, cpu_start = time.perf_counter(), time.process_time()
    for epoch in range(1, args.epochs + 1):
        for id_user in range(nb_users):
            input = training_set[id_user].unsqueeze(0)
            target = input.clone()
            if torch.sum(target.data > 0) > 0:
                output = sae(input)
                target.require_grad = False
                output[target == 0] = 0
                loss = criterion(output, target)
                loss.backward()  # the seeds never call zero_grad(): gradients accumulate
                optimizer.step()
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu_start

    # The seeds' test metric, without their optimizer.step() on test data (aekit never updates
    # while evaluating), and the global RMSE over all test ratings (clipped to 0.5..5 as aekit does).
    with torch.no_grad():
        out = sae(training_set)
    per_user, se, n = [], 0.0, 0
    for u in range(nb_users):
        mask = test_set[u] > 0
        if mask.sum() > 0:
            d = out[u][mask] - test_set[u][mask]
            per_user.append(float(torch.sqrt((d * d).mean())))
            dc = out[u][mask].clamp(0.5, 5.0) - test_set[u][mask]
            se += float((dc * dc).sum())
            n += int(mask.sum())
    print(json.dumps({"seconds": seconds, "cpu": cpu, "metric": float(np.mean(per_user)), "rmse": (se / n) ** 0.5}))


if args.torch_only:
    run_torch()
    sys.exit(0)

forwarded = ["--epochs", str(args.epochs), "--data", args.data] + ([] if args.flush_denormal else ["--no-flush-denormal"])
runs, best = torch_best.torch_runs(__file__, forwarded, torch_best.thread_counts(args.torch_threads), "seconds")


def run_aekit(threads):
    """aekit's whole process at `threads` (0: its default): seconds, CPU seconds, threads used, test metrics."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.TemporaryDirectory() as tmp:
        model = os.path.join(tmp, "seed.aek")
        start = time.perf_counter()
        done = subprocess.run([args.aekit, "train", "--ratings", args.data, "--preset", "seed-sae", "--holdout", "0.1",
                               "--epochs", str(args.epochs), *torch_best.aekit_thread_flag(threads), "--out", model],
                              check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                              env=torch_best.aekit_environment())
        seconds = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        with open(model, "rb") as f:
            header = json.loads(f.read(int.from_bytes(f.read(8), "little")))
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return seconds, cpu, torch_best.aekit_threads_used(done.stderr), json.loads(header["__metadata__"]["training"])["test"]


aekit_seconds, aekit_cpu, aekit_threads, test = run_aekit(args.threads)
also = None
if args.threads == 0 and args.aekit_also > 0 and aekit_threads != str(args.aekit_also):
    also = run_aekit(args.aekit_also)

print(f"{'':18} {'seconds':>9} {'CPU s':>8} {'per-user':>9} {'RMSE':>7}")
for run in runs:
    print(f"{'PyTorch ' + str(run['threads']) + ' thread(s)':18} {run['seconds']:9.2f} {run['cpu']:8.2f} "
          f"{run['metric']:9.4f} {run['rmse']:7.4f}")
print(f"{'aekit ' + aekit_threads + ' thread(s)':18} {aekit_seconds:9.2f} {aekit_cpu:8.2f} "
      f"{test['seed_user_metric']:9.4f} {test['rmse']:7.4f}")
if also:
    print(f"{'aekit ' + also[2] + ' (--threads)':18} {also[0]:9.2f} {also[1]:8.2f} "
          f"{also[3]['seed_user_metric']:9.4f} {also[3]['rmse']:7.4f}   (not its default: "
          f"{best['seconds'] / also[0]:.1f}x)")
print(f"speed-up {best['seconds'] / aekit_seconds:.1f}x against PyTorch's fastest ({best['threads']} thread(s)), "
      f"{args.epochs} epochs, aekit at {aekit_threads} thread(s); PyTorch "
      f"{'flushes' if args.flush_denormal else 'keeps'} denormals; aekit's time includes reading the file and "
      "evaluating")
print(f"CPU seconds: PyTorch {best['cpu']:.2f} (training loop), aekit {aekit_cpu:.2f} (the whole process): "
      f"{best['cpu'] / aekit_cpu:.1f}x; on a loaded machine this ratio is the steadier one")
