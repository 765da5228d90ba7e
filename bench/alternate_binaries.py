#!/usr/bin/python3
"""Two (or more) aekit binaries on the same training command, run in turn, the order alternating
from one round to the next, so that a noisy machine's drift falls on both alike. Each run's
median epoch time is read from the model file it writes (the training history's seconds); the
script prints each binary's runs and the median of them. For changes too small for single
side-by-side runs to separate (BENCHMARKS.md, "Recommender side-by-sides, twelfth session").

  /usr/bin/python3 bench/alternate_binaries.py --rounds 8 NEW OLD -- \\
      --ratings movielens-small --model autorec-i --arch 500 --holdout 0.1 --epochs 30 ...
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("--rounds", type=int, default=8, help="runs of each binary")
parser.add_argument("binaries", nargs="+", help="aekit executables to compare")
argv = sys.argv[1:]
cut = argv.index("--") if "--" in argv else len(argv)
args, train_args = parser.parse_args(argv[:cut]), argv[cut + 1:]
if len(args.binaries) < 2 or not train_args:
    sys.exit("give two or more binaries, then -- and the arguments of `aekit train` (without --out)")

environment = dict(os.environ)
environment.setdefault("OMP_WAIT_POLICY", "passive")
epochs = {b: [] for b in args.binaries}
with tempfile.TemporaryDirectory() as tmp:
    model = os.path.join(tmp, "run.aek")
    for r in range(args.rounds):
        for binary in args.binaries if r % 2 == 0 else args.binaries[::-1]:
            subprocess.run([binary, "train", *train_args, "--out", model], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment)
            with open(model, "rb") as f:
                header = json.loads(f.read(int.from_bytes(f.read(8), "little")))
            history = json.loads(header["__metadata__"]["training"])["history"]
            epochs[binary].append(statistics.median(e["seconds"] for e in history))
for binary, runs in epochs.items():
    print(f"{binary}: median {statistics.median(runs):.4f} s/epoch; runs " + " ".join(f"{x:.4f}" for x in runs))
