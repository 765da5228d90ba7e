#!/usr/bin/python3
"""The one-class anomaly benchmark (Ruff et al. 2018, "Deep One-Class Classification"): for each
class of MNIST (and Fashion-MNIST), train an autoencoder on the training images of that class
alone, score the whole test set with its reconstruction error (that class normal, the other nine
anomalous) and report the AUROC per class and the mean, beside the published Deep SVDD figures.

    /usr/bin/python3 bench/one_class.py [--aekit build/aekit] [--datasets mnist,fashion-mnist]
        [--classes 0,1,...] [--epochs 30] [--arch 784-128-32] [--metric mse] [--threads 0]

Needs only numpy (Debian's python3-numpy) and the aekit command; the data comes from the cache
that scripts/fetch-data fills ($AEKIT_DATA, default ~/.cache/aekit). Every number comes from
`aekit eval --labels ... --json`, so the benchmark measures exactly what users run.
"""
import argparse
import gzip
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

import numpy as np

# Deep SVDD (one-class), Ruff et al. 2018, Table 1: AUROC in % per class.
DEEP_SVDD = {
    "mnist": [98.0, 99.7, 91.7, 91.9, 94.9, 88.5, 98.3, 94.6, 93.9, 96.5],
}
REPO = pathlib.Path(__file__).resolve().parent.parent


def read_idx(path):
    """An IDX file (raw or .gz) as a numpy array."""
    for candidate in (path, path.with_name(path.name + ".gz")):
        if candidate.exists():
            opener = gzip.open if candidate.suffix == ".gz" else open
            with opener(candidate, "rb") as f:
                data = f.read()
            dims = data[3]
            shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
            return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)
    sys.exit(f"one_class: {path} is missing; run scripts/fetch-data")


def run(cmd):
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"one_class: {' '.join(cmd)} failed:\n{result.stderr}")
    return result.stdout


def one_class(args, dataset, digit, work):
    cache = pathlib.Path(os.environ.get("AEKIT_DATA") or pathlib.Path.home() / ".cache" / "aekit") / dataset
    train_x = read_idx(cache / "train-images-idx3-ubyte")
    train_y = read_idx(cache / "train-labels-idx1-ubyte")
    test_y = read_idx(cache / "t10k-labels-idx1-ubyte")
    normal = work / f"{dataset}-{digit}-train.npy"
    np.save(normal, train_x[train_y == digit])  # uint8 N x 28 x 28: images, scaled by 255
    labels = work / f"{dataset}-{digit}-labels.npy"
    np.save(labels, (test_y != digit).astype(np.uint8))  # 1 = anomaly
    model = work / f"{dataset}-{digit}.aek"
    start = time.time()
    run([args.aekit, "train", "--data", str(normal), "--arch", args.arch, "--activation", args.activation,
         "--output-activation", "sigmoid", "--loss", args.loss, "--optimizer", "adam", "--lr", str(args.lr),
         "--batch-size", str(args.batch_size), "--epochs", str(args.epochs), "--seed", str(args.seed),
         "--threads", str(args.threads), "--out", str(model)])
    seconds = time.time() - start
    report = json.loads(run([args.aekit, "eval", str(model), "--data", f"{dataset}:test", "--labels", str(labels),
                             "--metric", args.metric, "--threads", str(args.threads), "--json"]))
    return report["auroc"], report["average_precision"], seconds


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--aekit", default=str(REPO / "build" / "aekit"))
    p.add_argument("--datasets", default="mnist,fashion-mnist")
    p.add_argument("--classes", default="0,1,2,3,4,5,6,7,8,9")
    p.add_argument("--arch", default="784-128-32")
    p.add_argument("--activation", default="sigmoid")
    p.add_argument("--loss", default="mse")
    p.add_argument("--lr", type=float, default=0.005)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--epochs", type=int, default=30)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--metric", default="mse")
    p.add_argument("--threads", type=int, default=0)
    args = p.parse_args()
    classes = [int(c) for c in args.classes.split(",")]
    print(f"aekit one-class AUROC: dense {args.arch}, {args.activation}, {args.loss}, adam lr {args.lr}, "
          f"batch {args.batch_size}, {args.epochs} epochs, seed {args.seed}, score {args.metric}")
    with tempfile.TemporaryDirectory(prefix="aekit-one-class-") as tmp:
        for dataset in args.datasets.split(","):
            svdd = DEEP_SVDD.get(dataset)
            print(f"\n{dataset}\n class  aekit AUROC  aekit AP  Deep SVDD AUROC  train s")
            rocs = []
            for c in classes:
                roc, ap, seconds = one_class(args, dataset, c, pathlib.Path(tmp))
                rocs.append(roc * 100)
                ref = f"{svdd[c]:15.1f}" if svdd else f"{'-':>15}"
                print(f" {c:5d}  {roc * 100:11.1f}  {ap * 100:8.1f}  {ref}  {seconds:7.1f}", flush=True)
            ref_mean = f"{np.mean([svdd[c] for c in classes]):15.1f}" if svdd else f"{'-':>15}"
            print(f"  mean  {np.mean(rocs):11.1f}  {'':8}  {ref_mean}")


if __name__ == "__main__":
    main()
