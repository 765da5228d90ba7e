#!/usr/bin/python3
"""Test MSE of issue 11's convolutional autoencoder over several seeds, aekit beside PyTorch.

One seed per side cannot tell a real difference from seed spread. This trains the model of
bench/conv_side_by_side.py (same flags, same data) with each seed on each side, at 1 thread
(PyTorch with OPENBLAS_CORETYPE=SkylakeX, as that benchmark's usual best), and prints
every test MSE per pixel, each side's mean and standard deviation, and aekit's mean relative to
PyTorch's. CPU only; no timing is taken, so it may run on a busy machine (nice it).

  /usr/bin/python3 bench/conv_mse_seeds.py [--seeds 0,1,2,3] [--epochs 3] [--datasets mnist]
      [--train-rows N --test-rows N]
"""

import argparse
import os
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from conv_side_by_side import ROOT, run_aekit, run_torch  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="0,1,2,3")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--datasets", default="mnist")
    parser.add_argument("--train-rows", type=int, default=0, help="the first N training images only (0: all)")
    parser.add_argument("--test-rows", type=int, default=0, help="the first N test images only (0: all)")
    parser.add_argument("--aekit", default=os.path.join(ROOT, "build", "aekit"))
    args = parser.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    if not os.path.exists(args.aekit):
        sys.exit(f"{args.aekit} not found: build first (scripts/build)")
    print(f"load average at start: {os.getloadavg()[0]:.2f}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for dataset in args.datasets.split(","):
            mse = {"aekit": [], "pytorch": []}
            for seed in seeds:
                mse["aekit"].append(run_aekit(args, tmp, dataset, 1, seed)["test_mse"])
                mse["pytorch"].append(run_torch(args, dataset, 1, "SkylakeX", seed)["test_mse"])
                print(f"{dataset} seed {seed}: aekit {mse['aekit'][-1]:.5f}  pytorch {mse['pytorch'][-1]:.5f}",
                      flush=True)
            rows = f"{args.train_rows or 'all'} training images"
            print(f"{dataset}, {args.epochs} epochs, {rows}, seeds {args.seeds}:")
            for side, values in mse.items():
                sd = statistics.stdev(values) if len(values) > 1 else 0.0
                print(f"  {side:8} mean {statistics.fmean(values):.5f}  sd {sd:.5f}  "
                      f"min {min(values):.5f}  max {max(values):.5f}")
            ratio = statistics.fmean(mse["aekit"]) / statistics.fmean(mse["pytorch"])
            print(f"  aekit's mean is {100 * (ratio - 1):+.1f}% of PyTorch's\n", flush=True)


if __name__ == "__main__":
    main()
