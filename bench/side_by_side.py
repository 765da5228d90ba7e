#!/usr/bin/python3
"""aekit against PyTorch at its best, and against the GEMM roofline, in one command.

For each workload (the seeds' MNIST autoencoder 784-128-64-128-784 at batch 1, 32, 256 and 1024;
the deep 784-1000-500-250-30 autoencoder at batch 128; sigmoid after every layer, MSE, Adam lr
0.01, pixels / 255), on an idle machine and again under a one-core load (a busy loop pinned to
CPU 0 that this script starts and stops), it times:

  aekit     at its default settings (no --threads: the automatic choice, README "Threads");
  PyTorch   at 1 and at 2 threads, each with OPENBLAS_CORETYPE as installed (the environment's),
            unset, and SkylakeX: six runs, the fastest is the reference;
  roofline  bench/roofline: the same training step's matrix products alone (aekit::cpu::gemm on
            the same shapes, same thread count, same load), the time no trainer can beat.

Epoch times are the median over epochs 2.. (the first warms up), taken from aekit's metrics CSV
and from torch_mnist_ae.py; the small-batch workloads train on the first ROWS images so that a
run takes seconds. One line per workload and condition:

  workload  load  aekit s/epoch  best PyTorch (setting)  speed-up  aekit GFLOP/s  roofline fraction

Run on an otherwise idle machine (check `uptime`), from the repository root after scripts/build:

  /usr/bin/python3 bench/side_by_side.py [--quick] [--repeat N] [--json FILE]
"""

import argparse
import csv
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

from blas_coretypes import cpu_has_avx512, skylakex_note, torch_blas_is_openblas

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MNIST = "784-128-64"
DEEP = "784-1000-500-250-30"

# name, encoder, batch, training rows, epochs (full), epochs (--quick)
WORKLOADS = [
    ("mnist-b1", MNIST, 1, 3000, 3, 2),
    ("mnist-b32", MNIST, 32, 20000, 3, 2),
    ("mnist-b256", MNIST, 256, 60000, 4, 2),
    ("mnist-b1024", MNIST, 1024, 60000, 4, 2),
    ("deep-b128", DEEP, 128, 10000, 3, 2),
]


def torch_settings():
    """PyTorch's runs: 1 and 2 threads, each with every OPENBLAS_CORETYPE worth trying; with a
    PyTorch that does not use OpenBLAS (a wheel's MKL) the coretype cannot matter: one run each."""
    if not torch_blas_is_openblas():
        return [(threads, "installed") for threads in (1, 2)]
    coretypes = ("installed", "unset") + (("SkylakeX",) if cpu_has_avx512() else ())
    return [(threads, core) for threads in (1, 2) for core in coretypes]


def flops_per_sample(encoder):
    """2 m n k over a training step's products, per sample: forward, dW, and dx but for layer 1."""
    sizes = encoder + encoder[-2::-1]
    total = 0
    for i in range(len(sizes) - 1):
        total += 2 * sizes[i] * sizes[i + 1] * (2 if i == 0 else 3)
    return total


def median_epoch(seconds):
    return statistics.median(seconds[1:] if len(seconds) > 1 else seconds)


class BusyCore:
    """A busy loop pinned to CPU 0 for at most `limit` seconds: the one-core load."""

    def __init__(self, on, limit=900):
        self.on, self.limit, self.proc = on, limit, None

    def __enter__(self):
        if self.on:
            code = ("import os, time\nos.sched_setaffinity(0, {0})\nend = time.time() + %d\n"
                    "while time.time() < end:\n    pass\n" % self.limit)
            self.proc = subprocess.Popen([sys.executable, "-c", code])
            time.sleep(0.5)
        return self

    def __exit__(self, *exc):
        if self.proc:
            self.proc.terminate()
            self.proc.wait()


def subset_npy(tmp, rows):
    """The first `rows` MNIST training images as a uint8 .npy file (aekit's --data)."""
    import numpy as np
    sys.path.insert(0, HERE)
    from torch_mnist_ae import default_data_dir, find_idx, read_idx
    path = os.path.join(tmp, f"mnist-{rows}.npy")
    if not os.path.exists(path):
        images = read_idx(find_idx(default_data_dir(), "train-images-idx3-ubyte"))
        np.save(path, np.ascontiguousarray(images[:rows].reshape(rows, 784)))
    return path


def run_aekit(binary, tmp, arch, batch, rows, epochs, extra=(), flush=False):
    data = "mnist:train" if rows >= 60000 else subset_npy(tmp, rows)
    metrics = os.path.join(tmp, "metrics.csv")
    out = subprocess.run(
        [binary, "train", "--data", data, "--arch", arch, "--activation", "sigmoid",
         "--output-activation", "sigmoid", "--loss", "mse", "--optimizer", "adam", "--lr", "0.01",
         "--batch-size", str(batch), "--epochs", str(epochs), "--seed", "0", "--preprocess", "scale",
         "--out", os.path.join(tmp, "m.aek"), "--metrics-csv", metrics, *extra,
         *(["--flush-denormals"] if flush else [])],
        check=True, capture_output=True, text=True)
    # The banner says how many threads the default chose: "..., 2 threads (auto: ...), ...".
    chosen = re.search(r"(\d+) threads? \(", out.stderr)
    with open(metrics) as f:
        return median_epoch([float(row["seconds"]) for row in csv.DictReader(f)]), int(chosen.group(1)) if chosen else 0


def run_torch(arch, batch, rows, epochs, threads, core, flush=False):
    env = dict(os.environ)
    if core != "installed":
        env.pop("OPENBLAS_CORETYPE", None)
        env.pop("OPENBLAS_L2_SIZE", None)
        if core != "unset":
            env["OPENBLAS_CORETYPE"] = core
    env["OPENBLAS_NUM_THREADS"] = str(threads)
    out = subprocess.run(
        [sys.executable, os.path.join(HERE, "torch_mnist_ae.py"), "--arch", arch, "--batch-size",
         str(batch), "--rows", str(rows if rows < 60000 else 0), "--epochs", str(epochs), "--threads",
         str(threads), "--json", *(["--flush-denormals"] if flush else [])],
        check=True, capture_output=True, text=True, env=env)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return median_epoch(result["epoch_seconds"]), result["blas_kernel"].get("openblas_corename", "?")


def run_roofline(binary, arch, batch):
    out = subprocess.run([binary, "--arch", arch, "--batch", str(batch), "--seconds", "1"],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def measure(args, tmp, loaded):
    rows_out = []
    for name, arch, batch, rows, epochs, quick_epochs in WORKLOADS:
        if args.only and name not in args.only:
            continue
        epochs = quick_epochs if args.quick else epochs
        encoder = [int(v) for v in arch.split("-")]
        with BusyCore(loaded):
            aekit, aekit_threads = run_aekit(args.aekit, tmp, arch, batch, rows, epochs, flush=args.flush_denormals)
            bf16 = None
            if args.bf16 and batch >= 256:
                bf16, _ = run_aekit(args.aekit, tmp, arch, batch, rows, epochs, ("--precision", "bf16"),
                                    flush=args.flush_denormals)
            torch_runs = {}
            for threads, core in args.torch_settings:
                seconds, corename = run_torch(arch, batch, rows, epochs, threads, core, args.flush_denormals)
                torch_runs[f"{threads}t {core}({corename})"] = seconds
            roof = run_roofline(args.roofline, arch, batch)
        best_name, best = min(torch_runs.items(), key=lambda kv: kv[1])
        flops = flops_per_sample(encoder) * rows
        roof_seconds = roof["seconds_per_batch"] * rows / batch
        rows_out.append({
            "workload": name, "load": "one-core" if loaded else "idle", "rows": rows,
            "epochs": epochs, "aekit_s": aekit, "aekit_threads": aekit_threads, "aekit_bf16_s": bf16, "torch": torch_runs,
            "torch_best": best_name, "torch_best_s": best, "speedup": best / aekit,
            "aekit_gflops": flops / aekit * 1e-9, "roofline_s": roof_seconds,
            "roofline_gflops": roof["gflops"], "roofline_fraction": roof_seconds / aekit,
            "threads": roof["threads"]})
        print_row(rows_out[-1])
    return rows_out


def print_row(r):
    bf16 = ""
    if r["aekit_bf16_s"]:
        bf16 = f"  bf16 {r['aekit_bf16_s']:.3f} s ({r['torch_best_s'] / r['aekit_bf16_s']:.2f}x)"
    print(f"{r['workload']:12} {r['load']:8} aekit {r['aekit_s']:7.3f} s/epoch ({r['rows']} rows, "
          f"{r['aekit_threads']}t)  "
          f"PyTorch best {r['torch_best_s']:7.3f} [{r['torch_best']}]  {r['speedup']:5.2f}x  "
          f"aekit {r['aekit_gflops']:5.0f} GFLOP/s, roofline {r['roofline_gflops']:4.0f} GFLOP/s "
          f"{r['roofline_s']:.3f} s = {100 * r['roofline_fraction']:3.0f}%{bf16}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 epochs per run instead of 3-4")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run everything N times, idle and loaded alternating; report medians")
    parser.add_argument("--load", choices=["both", "idle", "one-core"], default="both")
    parser.add_argument("--only", nargs="+", help="just these workloads (names as printed)")
    parser.add_argument("--bf16", action="store_true", help="also time aekit --precision bf16 at batch >= 256")
    parser.add_argument("--aekit", default=os.path.join(ROOT, "build", "aekit"))
    parser.add_argument("--roofline", default=os.path.join(ROOT, "build", "bench", "roofline"))
    parser.add_argument("--json", help="write every measurement to this file")
    parser.add_argument("--flush-denormals", action="store_true",
                        help="both sides treat subnormal floats as 0 (aekit --flush-denormals, "
                             "torch.set_flush_denormal(True)): on Intel CPUs small batches are far faster")
    args = parser.parse_args()
    for path in (args.aekit, args.roofline):
        if not os.path.exists(path):
            sys.exit(f"{path} not found: build first (scripts/build)")
    args.torch_settings = torch_settings()
    print(f"load average at start: {os.getloadavg()[0]:.2f}; cores: {len(os.sched_getaffinity(0))} of "
          f"{os.cpu_count()}", flush=True)
    if skylakex_note():
        print(skylakex_note(), flush=True)
    conditions = {"both": [False, True], "idle": [False], "one-core": [True]}[args.load]
    everything = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.repeat):
            for loaded in conditions:
                everything += measure(args, tmp, loaded)
    if args.repeat > 1:
        print(f"medians over {args.repeat} repetitions:")
        keys = sorted({(r["workload"], r["load"]) for r in everything},
                      key=lambda k: ([w[0] for w in WORKLOADS].index(k[0]), k[1]))
        for workload, load in keys:
            runs = [r for r in everything if r["workload"] == workload and r["load"] == load]
            row = dict(runs[0])
            for field in ("aekit_s", "torch_best_s", "speedup", "aekit_gflops", "roofline_s",
                          "roofline_gflops", "roofline_fraction"):
                row[field] = statistics.median(r[field] for r in runs)
            if all(r["aekit_bf16_s"] for r in runs):
                row["aekit_bf16_s"] = statistics.median(r["aekit_bf16_s"] for r in runs)
            row["torch_best"] = "/".join(sorted({r["torch_best"] for r in runs}))
            print_row(row)
    print(f"load average at end: {os.getloadavg()[0]:.2f}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(everything, f, indent=1)


if __name__ == "__main__":
    main()
