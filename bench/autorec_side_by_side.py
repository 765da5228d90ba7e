#!/usr/bin/python3
"""I-AutoRec side by side: a dense PyTorch I-AutoRec (each item's column of user ratings,
hidden 500 sigmoid, identity output, squared error on rated entries, AdamW, batch 64) against
aekit's sparse one (`aekit train --ratings ... --model autorec-i`), on the movielens-small split
of the issue (np.random.seed(0) permutation, first 90% train): seconds per epoch and test RMSE.
Both train the same number of epochs with the same settings (aekit's defaults for autorec-i,
early stopping switched off so the epoch counts match).

Usage: bench/autorec_side_by_side.py [--epochs 30] [--aekit build/aekit] [--threads 1]
Run it on a quiet machine: it reports wall-clock time.
"""
import argparse
import json
import os
import subprocess
import tempfile
import time

import numpy as np
import torch

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=30)
parser.add_argument("--aekit", default=os.path.join(os.path.dirname(__file__), "..", "build", "aekit"))
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--lr", type=float, default=1e-3)
parser.add_argument("--weight-decay", type=float, default=1.0)
parser.add_argument("--data", default=os.path.join(os.environ.get("AEKIT_DATA", os.path.expanduser("~/.cache/aekit")),
                                                   "movielens-small", "ratings_small.csv"))
args = parser.parse_args()
torch.set_num_threads(args.threads)

raw = np.loadtxt(args.data, delimiter=",", skiprows=1)
np.random.seed(0)
perm = np.random.permutation(len(raw))
cut = int(len(raw) * 0.9)
users = {u: k for k, u in enumerate(np.unique(raw[:, 0]))}
items = {i: k for k, i in enumerate(np.unique(raw[:, 1]))}
R = np.zeros((len(items), len(users)), dtype=np.float32)  # item rows
for u, i, r in raw[perm[:cut], :3]:
    R[items[i], users[u]] = r
train = torch.tensor(R)
mask = (train > 0).float()
lo, hi = float(raw[perm[:cut], 2].min()), float(raw[perm[:cut], 2].max())

torch.manual_seed(0)
net = torch.nn.Sequential(torch.nn.Linear(len(users), 500), torch.nn.Sigmoid(), torch.nn.Linear(500, len(users)))
opt = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=args.weight_decay)
rows = np.arange(len(items))
epoch_seconds = []
for epoch in range(args.epochs):
    start = time.perf_counter()
    np.random.shuffle(rows)
    for b in range(0, len(rows), 64):
        idx = torch.tensor(rows[b:b + 64])
        x, m = train[idx], mask[idx]
        if m.sum() == 0:
            continue
        out = net(x)
        loss = (((out - x) * m) ** 2).sum() / m.sum()
        opt.zero_grad()
        loss.backward()
        opt.step()
    epoch_seconds.append(time.perf_counter() - start)
with torch.no_grad():
    pred = net(train)
se, n = 0.0, 0
for u, i, r in raw[perm[cut:], :3]:
    p = float(pred[items[i], users[u]]) if train[items[i]].sum() > 0 else None
    if p is None:  # an item without training ratings: aekit's bias fallback is not reproduced here
        p = float(raw[perm[:cut], 2].mean())
    se += (min(max(p, lo), hi) - r) ** 2
    n += 1
torch_rmse = (se / n) ** 0.5

with tempfile.TemporaryDirectory() as tmp:
    model = os.path.join(tmp, "autorec.aek")
    subprocess.run([args.aekit, "train", "--ratings", args.data, "--model", "autorec-i", "--holdout", "0.1",
                    "--epochs", str(args.epochs), "--patience", "0", "--validation-split", "0",
                    "--lr", str(args.lr), "--weight-decay", str(args.weight_decay),
                    "--threads", str(args.threads), "--out", model],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(model, "rb") as f:
        header = json.loads(f.read(int.from_bytes(f.read(8), "little")))
    training = json.loads(header["__metadata__"]["training"])
aekit_epoch = float(np.median([e["seconds"] for e in training["history"]]))
torch_epoch = float(np.median(epoch_seconds))
print(f"{'':10} {'s/epoch':>9} {'RMSE':>7}")
print(f"{'PyTorch':10} {torch_epoch:9.4f} {torch_rmse:7.4f}")
print(f"{'aekit':10} {aekit_epoch:9.4f} {training['test']['rmse']:7.4f}")
print(f"speed-up {torch_epoch / aekit_epoch:.1f}x per epoch (median of {args.epochs}, {args.threads} threads)")
