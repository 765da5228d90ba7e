#!/usr/bin/python3
"""The seeds' movie recommender (seeds 000/002/003) in PyTorch, exactly as the seeds run it,
beside `aekit train --preset seed-sae` on the same data and split: time for all epochs and both
metrics (the seeds' per-user metric and global RMSE).

Split: movielens-small ratings_small.csv, np.random.seed(0), a permutation of the rows, the first
int(0.9 n) train (aekit: --holdout 0.1 --holdout-seed 0). Ids are mapped over the whole file
(the seeds' nb_users/nb_movies span both sets).

Usage: bench/seed_sae_side_by_side.py [--epochs 200] [--aekit build/aekit] [--threads 1]
Run it on a quiet machine: it reports wall-clock time.
"""
import argparse
import json
import resource
import os
import subprocess
import tempfile
import time

import torch_threads  # noqa: F401  (before numpy and torch: pins their thread pools)

import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim

from movielens_split import DEFAULT_RATINGS, issue_split

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=200)
parser.add_argument("--aekit", default=os.path.join(os.path.dirname(__file__), "..", "build", "aekit"))
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--data", default=DEFAULT_RATINGS)
# PyTorch at its best: weight_decay 0.5 drives the seeds' weights towards zero, and subnormal
# arithmetic made its loop 1.6-1.8x slower (10 epochs: 22-24 s, 13.76 s flushed, same metrics).
parser.add_argument("--no-flush-denormal", dest="flush_denormal", action="store_false",
                    help="leave PyTorch's subnormal arithmetic on (slower; the default flushes)")
args = parser.parse_args()
torch_threads.pin_torch(torch, args.threads)
if args.flush_denormal and not torch.set_flush_denormal(True):
    print("note: this CPU cannot flush denormals; PyTorch runs with subnormal arithmetic")

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
torch_seconds = time.perf_counter() - start
torch_cpu = time.process_time() - cpu_start

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
torch_metric, torch_rmse = float(np.mean(per_user)), (se / n) ** 0.5

usage = resource.getrusage(resource.RUSAGE_CHILDREN)
children_cpu = usage.ru_utime + usage.ru_stime
with tempfile.TemporaryDirectory() as tmp:
    model = os.path.join(tmp, "seed.aek")
    start = time.perf_counter()
    subprocess.run([args.aekit, "train", "--ratings", args.data, "--preset", "seed-sae", "--holdout", "0.1",
                    "--epochs", str(args.epochs), "--threads", str(args.threads), "--out", model],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    aekit_seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    aekit_cpu = usage.ru_utime + usage.ru_stime - children_cpu
    with open(model, "rb") as f:
        header = json.loads(f.read(int.from_bytes(f.read(8), "little")))
    test = json.loads(header["__metadata__"]["training"])["test"]

print(f"{'':10} {'seconds':>9} {'per-user':>9} {'RMSE':>7}")
print(f"{'PyTorch':10} {torch_seconds:9.2f} {torch_metric:9.4f} {torch_rmse:7.4f}")
print(f"{'aekit':10} {aekit_seconds:9.2f} {test['seed_user_metric']:9.4f} {test['rmse']:7.4f}")
print(f"speed-up {torch_seconds / aekit_seconds:.1f}x ({args.epochs} epochs, {args.threads} threads; "
      f"PyTorch {'flushes' if args.flush_denormal else 'keeps'} denormals; "
      "aekit's time includes reading the file and evaluating)")
print(f"CPU seconds: PyTorch {torch_cpu:.2f} (training loop), aekit {aekit_cpu:.2f} (the whole process): "
      f"{torch_cpu / aekit_cpu:.1f}x; on a loaded machine this ratio is the steadier one")
print(f"PyTorch CPU / wall seconds {torch_cpu / torch_seconds:.2f} at {args.threads} threads "
      "(above the thread count: a pool outside the pinned ones ran; bench/torch_threads.py)")
