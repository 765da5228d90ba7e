#!/usr/bin/python3
"""Side-by-side: the seeds' MNIST autoencoder in aekit and in PyTorch, in one run.

Same model (784-128-64-128-784, sigmoid after every layer), loss (MSE), optimizer (Adam lr 0.01),
batch (256), data (MNIST, pixels / 255), epochs and thread count. PyTorch runs twice: with its
BLAS as installed (OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset) and with
OPENBLAS_CORETYPE=SkylakeX (AVX-512 kernels). Prints per-epoch times, test MSE per pixel and
the speed ratio of aekit against the faster PyTorch. Run on an idle machine:

  /usr/bin/python3 bench/mnist_side_by_side.py [--epochs 10] [--threads 2] [--aekit build/aekit]
"""

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def steady_mean(seconds):
    """Mean epoch time without the first epoch (warm-up: page faults, thread pools)."""
    return statistics.mean(seconds[1:] if len(seconds) > 1 else seconds)


def run_aekit(binary, epochs, threads):
    with tempfile.TemporaryDirectory() as tmp:
        metrics = os.path.join(tmp, "metrics.csv")
        out = subprocess.run(
            [binary, "train", "--data", "mnist:train", "--test", "mnist:test", "--arch", "784-128-64",
             "--activation", "sigmoid", "--output-activation", "sigmoid", "--loss", "mse",
             "--optimizer", "adam", "--lr", "0.01", "--batch-size", "256", "--epochs", str(epochs),
             "--seed", "0", "--threads", str(threads), "--out", os.path.join(tmp, "m.aek"),
             "--metrics-csv", metrics],
            check=True, capture_output=True, text=True)
        with open(metrics) as f:
            seconds = [float(row["seconds"]) for row in csv.DictReader(f)]
        mse = None
        for line in out.stdout.splitlines():
            if line.startswith("test reconstruction MSE per element:"):
                mse = float(line.split(":")[1].split()[0])
        gemm = next((l for l in out.stderr.splitlines() if "oneDNN" in l), "")
        return {"epoch_seconds": seconds, "test_mse": mse, "note": gemm.split(", ")[-1]}


def run_torch(epochs, threads, coretype):
    env = dict(os.environ)
    env.pop("OPENBLAS_CORETYPE", None)
    env.pop("OPENBLAS_L2_SIZE", None)
    if coretype:
        env["OPENBLAS_CORETYPE"] = coretype
    out = subprocess.run(
        [sys.executable, os.path.join(HERE, "torch_mnist_ae.py"), "--epochs", str(epochs),
         "--threads", str(threads), "--json"],
        check=True, capture_output=True, text=True, env=env)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    kernel = result.get("blas_kernel")
    if isinstance(kernel, dict):
        kernel = kernel.get("openblas_corename", "?")
    return {"epoch_seconds": result["epoch_seconds"], "test_mse": result["test_mse_per_pixel"],
            "note": f"torch {result.get('torch_version')}, OpenBLAS core {kernel}"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--aekit", default=os.path.join(ROOT, "build", "aekit"))
    parser.add_argument("--json", action="store_true", help="also print the results as JSON")
    args = parser.parse_args()
    if not os.path.exists(args.aekit):
        sys.exit(f"{args.aekit} not found: build first (scripts/build)")

    runs = {
        "aekit": run_aekit(args.aekit, args.epochs, args.threads),
        "pytorch (as installed)": run_torch(args.epochs, args.threads, None),
        "pytorch (OPENBLAS_CORETYPE=SkylakeX)": run_torch(args.epochs, args.threads, "SkylakeX"),
    }
    fastest_torch = min(steady_mean(r["epoch_seconds"]) for k, r in runs.items() if k != "aekit")
    aekit_mean = steady_mean(runs["aekit"]["epoch_seconds"])
    print(f"MNIST autoencoder 784-128-64-128-784, Adam lr 0.01, batch 256, {args.epochs} epochs, "
          f"{args.threads} threads")
    print(f"{'':40} {'s/epoch':>8} {'test MSE':>9}  per-epoch seconds")
    for name, r in runs.items():
        epochs = " ".join(f"{s:.2f}" for s in r["epoch_seconds"])
        print(f"{name:40} {steady_mean(r['epoch_seconds']):8.3f} {r['test_mse']:9.5f}  {epochs}")
        print(f"{'':40} ({r['note']})")
    print(f"aekit is {fastest_torch / aekit_mean:.2f}x faster per epoch than the faster PyTorch "
          f"(mean of epochs 2..{args.epochs})")
    if args.json:
        print(json.dumps({"runs": runs, "speedup_vs_faster_pytorch": fastest_torch / aekit_mean}))


if __name__ == "__main__":
    main()
