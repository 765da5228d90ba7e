#!/usr/bin/python3
"""Side by side: issue 11's convolutional autoencoder in aekit and in PyTorch, in one run.

Same model (Conv(1,16,3,s2,p1) ReLU Conv(16,32,3,s2,p1) ReLU Flatten Linear(1568,32), mirrored
with Linear(32,1568) ReLU and ConvTranspose(3,s2,p1,op1), sigmoid output; aekit's
--arch conv16k3s2p1,relu,conv32k3s2p1,relu,flatten,dense32 with its mirrored decoder), loss (MSE),
optimizer (Adam 1e-3), batch (128), data (pixels / 255) and epochs, for MNIST and Fashion-MNIST.
aekit and PyTorch (bench/torch_conv_ae.py) each run at 1 and at 2 threads, PyTorch with
OPENBLAS_CORETYPE unset and =SkylakeX. Prints per-epoch
seconds, the median epoch (epochs 2.. ; the first warms up), the test MSE per pixel of each run,
and the ratio of the faster PyTorch's epoch time to the faster aekit's.

Run on an otherwise idle machine (check `uptime`), from the repository root after scripts/build:

  /usr/bin/python3 bench/conv_side_by_side.py [--epochs 3] [--datasets mnist,fashion-mnist] [--threads 1,2]
      [--json FILE]

--train-rows N / --test-rows N use the first N images only (a quick check that everything runs:
--epochs 1 --train-rows 1000 --test-rows 500).
"""

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile

from blas_coretypes import cpu_has_avx512, skylakex_note

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
ARCH = "conv16k3s2p1,relu,conv32k3s2p1,relu,flatten,dense32"
# PyTorch's Linear layers run on OpenBLAS, whose Debian build misdetects some recent Xeons
# (DESIGN.md): each PyTorch setting runs with OPENBLAS_CORETYPE unset and set to SkylakeX, and the
# fastest of all is the reference.
CORETYPES = (None,) + (("SkylakeX",) if cpu_has_avx512() else ())


def median_epoch(seconds):
    return statistics.median(seconds[1:] if len(seconds) > 1 else seconds)


def first_images(tmp, dataset, split, rows):
    """The first `rows` images of a split as a uint8 N x 28 x 28 .npy file (aekit's --data)."""
    import numpy as np
    sys.path.insert(0, HERE)
    from torch_conv_ae import data_dir
    from torch_mnist_ae import find_idx, read_idx
    stem = "train-images-idx3-ubyte" if split == "train" else "t10k-images-idx3-ubyte"
    path = os.path.join(tmp, f"{dataset}-{split}-{rows}.npy")
    if not os.path.exists(path):
        source = find_idx(data_dir(dataset), stem)
        if source is None:
            sys.exit(f"{dataset} not found in {data_dir(dataset)}: run scripts/fetch-data")
        np.save(path, np.ascontiguousarray(read_idx(source)[:rows]))
    return path


def run_aekit(args, tmp, dataset, threads, seed=0):
    train = first_images(tmp, dataset, "train", args.train_rows) if args.train_rows else f"{dataset}:train"
    test = first_images(tmp, dataset, "test", args.test_rows) if args.test_rows else f"{dataset}:test"
    metrics = os.path.join(tmp, "metrics.csv")
    out = subprocess.run(
        [args.aekit, "train", "--data", train, "--test", test, "--input-shape", "1x28x28", "--arch", ARCH,
         "--output-activation", "sigmoid", "--loss", "mse", "--optimizer", "adam", "--lr", "0.001",
         "--batch-size", "128", "--epochs", str(args.epochs), "--seed", str(seed), "--threads", str(threads),
         "--preprocess", "scale", "--out", os.path.join(tmp, "m.aek"), "--metrics-csv", metrics],
        check=True, capture_output=True, text=True)
    with open(metrics) as f:
        seconds = [float(row["seconds"]) for row in csv.DictReader(f)]
    mse = None
    for line in out.stdout.splitlines():
        if line.startswith("test reconstruction MSE per element:"):
            mse = float(line.split(":")[1].split()[0])
    return {"epoch_seconds": seconds, "test_mse": mse}


def run_torch(args, dataset, threads, coretype, seed=0):
    command = [sys.executable, os.path.join(HERE, "torch_conv_ae.py"), "--dataset", dataset,
               "--epochs", str(args.epochs), "--threads", str(threads), "--seed", str(seed), "--json"]
    if args.train_rows:
        command += ["--train-rows", str(args.train_rows)]
    if args.test_rows:
        command += ["--test-rows", str(args.test_rows)]
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads))
    env.pop("OPENBLAS_CORETYPE", None)
    if coretype:
        env["OPENBLAS_CORETYPE"] = coretype
    out = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
    r = json.loads(out.stdout.strip().splitlines()[-1])
    return {"epoch_seconds": r["epoch_seconds"], "test_mse": r["test_mse_per_pixel"],
            "torch_version": r["torch_version"]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--datasets", default="mnist,fashion-mnist")
    parser.add_argument("--train-rows", type=int, default=0, help="the first N training images only (0: all)")
    parser.add_argument("--test-rows", type=int, default=0, help="the first N test images only (0: all)")
    parser.add_argument("--threads", default="1,2",
                        help="thread counts to run each side at (comma-separated) [1,2]; on a loaded machine "
                             "PyTorch's 2-thread runs spin at every barrier and take many times longer")
    parser.add_argument("--aekit", default=os.path.join(ROOT, "build", "aekit"))
    parser.add_argument("--json", help="write every measurement to this file")
    args = parser.parse_args()
    threads_list = [int(t) for t in args.threads.split(",")]
    if not os.path.exists(args.aekit):
        sys.exit(f"{args.aekit} not found: build first (scripts/build)")
    print(f"load average at start: {os.getloadavg()[0]:.2f}; cores: {os.cpu_count()}", flush=True)
    if skylakex_note():
        print(skylakex_note(), flush=True)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for dataset in args.datasets.split(","):
            runs = {}
            for threads in threads_list:
                runs[f"aekit {threads}t"] = run_aekit(args, tmp, dataset, threads)
            for coretype in CORETYPES:
                for threads in threads_list:
                    suffix = f" {coretype}" if coretype else ""
                    runs[f"pytorch {threads}t{suffix}"] = run_torch(args, dataset, threads, coretype)
            best = {name: min(median_epoch(r["epoch_seconds"]) for k, r in runs.items() if k.startswith(name))
                    for name in ("aekit", "pytorch")}
            ratio = best["pytorch"] / best["aekit"]
            rows = f"{args.train_rows or 'all'} training images"
            print(f"{dataset}: {ARCH} mirrored, Adam 1e-3, batch 128, {args.epochs} epochs, {rows}")
            print(f"{'':21} {'s/epoch':>8} {'test MSE':>9}  per-epoch seconds")
            for name, r in runs.items():
                epochs = " ".join(f"{s:.2f}" for s in r["epoch_seconds"])
                print(f"{name:21} {median_epoch(r['epoch_seconds']):8.3f} {r['test_mse']:9.5f}  {epochs}")
            print(f"aekit at its faster setting is {ratio:.2f}x faster per epoch than PyTorch at its faster\n",
                  flush=True)
            results[dataset] = {"runs": runs, "speedup_vs_faster_pytorch": ratio}
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
