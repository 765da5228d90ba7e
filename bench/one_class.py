#!/usr/bin/python3
"""The one-class anomaly benchmark (Ruff et al. 2018, "Deep One-Class Classification"): for each
class of MNIST (and Fashion-MNIST), train an autoencoder on the training images of that class
alone, score the whole test set with its reconstruction error (that class normal, the other nine
anomalous) and report the AUROC per class and the mean, beside the published Deep SVDD figures,
for a dense and a convolutional autoencoder.

    /usr/bin/python3 bench/one_class.py [--aekit build/aekit] [--datasets mnist,fashion-mnist]
        [--classes 0,1,...] [--models dense,conv] [--dense-arch 784-128-32] [--dense-epochs 30]
        [--conv-arch conv8k3s2p1,...] [--conv-epochs 10] [--metric mse] [--threads 1]

Deep SVDD's figures are Ruff et al. 2018 (ICML), Table 1, one-class Deep SVDD; that paper
evaluates MNIST and CIFAR-10 only, so Fashion-MNIST has no published Deep SVDD column here.

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

# Deep SVDD (one-class), Ruff et al. 2018, Table 1: AUROC in % per class (MNIST and CIFAR-10 only).
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


# The two detectors: a dense autoencoder and a small convolutional one (a narrow code keeps the
# convolutional model from reconstructing the other classes too well).
def model_flags(args, kind):
    if kind == "dense":
        return ["--arch", args.dense_arch, "--activation", args.activation], args.dense_epochs
    if kind == "conv":
        return ["--input-shape", "1x28x28", "--arch", args.conv_arch], args.conv_epochs
    sys.exit(f"one_class: unknown model '{kind}' (use dense or conv)")


def one_class(args, dataset, digit, kind, work):
    cache = pathlib.Path(os.environ.get("AEKIT_DATA") or pathlib.Path.home() / ".cache" / "aekit") / dataset
    train_x = read_idx(cache / "train-images-idx3-ubyte")
    train_y = read_idx(cache / "train-labels-idx1-ubyte")
    test_y = read_idx(cache / "t10k-labels-idx1-ubyte")
    normal = work / f"{dataset}-{digit}-train.npy"
    np.save(normal, train_x[train_y == digit])  # uint8 N x 28 x 28: images, scaled by 255
    labels = work / f"{dataset}-{digit}-labels.npy"
    np.save(labels, (test_y != digit).astype(np.uint8))  # 1 = anomaly
    model = work / f"{dataset}-{digit}-{kind}.aek"
    flags, epochs = model_flags(args, kind)
    start = time.time()
    run([args.aekit, "train", "--data", str(normal)] + flags +
        ["--output-activation", "sigmoid", "--loss", args.loss, "--optimizer", "adam", "--lr", str(args.lr),
         "--batch-size", str(args.batch_size), "--epochs", str(epochs), "--seed", str(args.seed),
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
    p.add_argument("--models", default="dense,conv")
    p.add_argument("--dense-arch", default="784-128-32")
    p.add_argument("--dense-epochs", type=int, default=30)
    p.add_argument("--activation", default="sigmoid", help="the dense model's hidden activation")
    p.add_argument("--conv-arch", default="conv8k3s2p1,relu,conv16k3s2p1,relu,flatten,dense16")
    p.add_argument("--conv-epochs", type=int, default=10)
    p.add_argument("--loss", default="mse")
    p.add_argument("--lr", type=float, default=0.005)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--metric", default="mse")
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args()
    classes = [int(c) for c in args.classes.split(",")]
    models = args.models.split(",")
    print(f"aekit one-class AUROC in %: {args.loss}, adam lr {args.lr}, batch {args.batch_size}, seed {args.seed}, "
          f"score {args.metric}, {args.threads} thread(s); load average at start "
          f"{' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    for kind in models:
        flags, epochs = model_flags(args, kind)
        print(f"  {kind}: {' '.join(flags)}, output sigmoid, {epochs} epochs")
    with tempfile.TemporaryDirectory(prefix="aekit-one-class-") as tmp:
        for dataset in args.datasets.split(","):
            svdd = DEEP_SVDD.get(dataset)
            print(f"\n{dataset}\n class  " + "  ".join(f"{k + ' AUROC':>11}" for k in models) +
                  "  Deep SVDD AUROC  " + "  ".join(f"{k + ' s':>7}" for k in models))
            rocs = {k: [] for k in models}
            for c in classes:
                cells, times = [], []
                for kind in models:
                    roc, _, seconds = one_class(args, dataset, c, kind, pathlib.Path(tmp))
                    rocs[kind].append(roc * 100)
                    cells.append(f"{roc * 100:11.1f}")
                    times.append(f"{seconds:7.1f}")
                ref = f"{svdd[c]:15.1f}" if svdd else f"{'-':>15}"
                print(f" {c:5d}  " + "  ".join(cells) + f"  {ref}  " + "  ".join(times), flush=True)
            ref_mean = f"{np.mean([svdd[c] for c in classes]):15.1f}" if svdd else f"{'-':>15}"
            print("  mean  " + "  ".join(f"{np.mean(rocs[k]):11.1f}" for k in models) + f"  {ref_mean}", flush=True)


if __name__ == "__main__":
    main()
