#!/usr/bin/python3
"""I-AutoRec side by side: a dense PyTorch I-AutoRec (each item's column of user ratings,
hidden 500 sigmoid, identity output, squared error on rated entries, AdamW, batch 64) against
aekit's sparse one (`aekit train --ratings ... --model autorec-i`), on the movielens-small split
of the issue (np.random.seed(0) permutation, first 90% train): seconds per epoch and test RMSE.
Both train the same number of epochs with the same settings: the issue's comparison (batch 64,
AdamW lr 1e-3 weight decay 1, no input dropout; aekit's own defaults are batch 1024 with input
dropout 0.7, BENCHMARKS.md), aekit's validation carve and early stopping switched off so the epoch
counts match. `--batch-size` and `--input-dropout` change both sides.

Usage: bench/autorec_side_by_side.py [--epochs 30] [--aekit build/aekit] [--torch-threads 1,2] [--threads 0]
PyTorch runs at each of --torch-threads (each in a child process, bench/torch_best.py) and the
fastest is the reference; aekit runs at its default thread count (--threads N to fix it).
Run it on a quiet machine: it reports wall-clock time. Debian's OpenBLAS misdetects recent CPUs
(DESIGN.md): run it with OPENBLAS_CORETYPE set to the fastest kernel (SkylakeX on AVX-512 CPUs)
so that PyTorch is at its best.
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
from movielens_split import DEFAULT_RATINGS, dense_indices, issue_split

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=30)
parser.add_argument("--aekit", default=os.path.join(os.path.dirname(__file__), "..", "build", "aekit"))
parser.add_argument("--threads", type=int, default=0,
                    help="aekit's threads (0: its default); with --torch-only, PyTorch's")
parser.add_argument("--torch-threads", default="1,2", help="PyTorch's thread counts to try")
parser.add_argument("--torch-only", action="store_true", help="run the PyTorch part alone, print JSON")
parser.add_argument("--lr", type=float, default=1e-3)
parser.add_argument("--weight-decay", type=float, default=1.0)
parser.add_argument("--batch-size", type=int, default=64)
parser.add_argument("--input-dropout", type=float, default=0.0)
parser.add_argument("--data", default=DEFAULT_RATINGS)
args = parser.parse_args()


def run_torch():
    import torch

    torch_threads.pin_torch(torch, args.threads)
    raw, train_rows, test_rows = issue_split(args.data)
    users, items = dense_indices(raw)
    R = np.zeros((len(items), len(users)), dtype=np.float32)  # item rows
    for u, i, r in train_rows[:, :3]:
        R[items[i], users[u]] = r
    train = torch.tensor(R)
    mask = (train > 0).float()
    lo, hi = float(train_rows[:, 2].min()), float(train_rows[:, 2].max())

    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(len(users), 500), torch.nn.Sigmoid(), torch.nn.Linear(500, len(users)))
    opt = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    rows = np.arange(len(items))
    epoch_seconds, torch_cpu = [], 0.0
    for epoch in range(args.epochs):
        start, cpu_start = time.perf_counter(), time.process_time()
        np.random.shuffle(rows)
        for b in range(0, len(rows), args.batch_size):
            idx = torch.tensor(rows[b:b + args.batch_size])
            x, m = train[idx], mask[idx]
            if m.sum() == 0:
                continue
            # aekit's input dropout: rated inputs dropped with probability p, survivors scaled
            # 1/(1-p); the loss still counts every rated entry
            out = net(torch.nn.functional.dropout(x, args.input_dropout) if args.input_dropout > 0 else x)
            loss = (((out - x) * m) ** 2).sum() / m.sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
        epoch_seconds.append(time.perf_counter() - start)
        torch_cpu += time.process_time() - cpu_start
    with torch.no_grad():
        pred = net(train)
    se, n = 0.0, 0
    for u, i, r in test_rows[:, :3]:
        p = float(pred[items[i], users[u]]) if train[items[i]].sum() > 0 else None
        if p is None:  # an item without training ratings: aekit's bias fallback is not reproduced here
            p = float(train_rows[:, 2].mean())
        se += (min(max(p, lo), hi) - r) ** 2
        n += 1
    print(json.dumps({"epoch": float(np.median(epoch_seconds)), "cpu": torch_cpu, "wall": sum(epoch_seconds),
                      "rmse": (se / n) ** 0.5}))


if args.torch_only:
    run_torch()
    sys.exit(0)

forwarded = ["--epochs", str(args.epochs), "--data", args.data, "--lr", str(args.lr),
             "--weight-decay", str(args.weight_decay), "--batch-size", str(args.batch_size),
             "--input-dropout", str(args.input_dropout)]
runs, best = torch_best.torch_runs(__file__, forwarded, torch_best.thread_counts(args.torch_threads), "epoch")

children_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
children_cpu = children_cpu.ru_utime + children_cpu.ru_stime
with tempfile.TemporaryDirectory() as tmp:
    model = os.path.join(tmp, "autorec.aek")
    # --arch 500: PyTorch's network above (autorec-i's default is 300 since the ninth session's search)
    done = subprocess.run([args.aekit, "train", "--ratings", args.data, "--model", "autorec-i", "--arch", "500",
                           "--holdout", "0.1",
                           "--epochs", str(args.epochs), "--patience", "0", "--validation-split", "0",
                           "--lr", str(args.lr), "--weight-decay", str(args.weight_decay),
                           "--batch-size", str(args.batch_size), "--input-dropout", str(args.input_dropout),
                           *torch_best.aekit_thread_flag(args.threads), "--out", model],
                          check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                          env=torch_best.aekit_environment())
    aekit_threads = torch_best.aekit_threads_used(done.stderr)
    with open(model, "rb") as f:
        header = json.loads(f.read(int.from_bytes(f.read(8), "little")))
    training = json.loads(header["__metadata__"]["training"])
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
aekit_cpu = usage.ru_utime + usage.ru_stime - children_cpu
aekit_epoch = float(np.median([e["seconds"] for e in training["history"]]))
print(f"{'':18} {'s/epoch':>9} {'CPU s':>8} {'RMSE':>7}")
for run in runs:
    print(f"{'PyTorch ' + str(run['threads']) + ' thread(s)':18} {run['epoch']:9.4f} {run['cpu']:8.2f} "
          f"{run['rmse']:7.4f}")
print(f"{'aekit ' + aekit_threads + ' thread(s)':18} {aekit_epoch:9.4f} {aekit_cpu:8.2f} "
      f"{training['test']['rmse']:7.4f}")
print(f"speed-up {best['epoch'] / aekit_epoch:.1f}x per epoch against PyTorch's fastest ({best['threads']} "
      f"thread(s)), median of {args.epochs}, aekit at {aekit_threads} thread(s), batch {args.batch_size}, "
      f"input dropout {args.input_dropout}, OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}")
print(f"CPU seconds, all epochs: PyTorch {best['cpu']:.2f} (training loop), aekit {aekit_cpu:.2f} (the whole "
      f"process: reading, training, evaluating): {best['cpu'] / aekit_cpu:.1f}x; on a loaded machine this ratio "
      "is the steadier one")
