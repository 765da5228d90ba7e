"""PyTorch at its best in a side-by-side: the script's PyTorch part runs once per thread count, each
in a fresh child process (a library's thread pool is sized when it loads, bench/torch_threads.py, so
one process cannot try two counts), and the fastest run is the reference. aekit runs at its own
default thread count unless told otherwise: the parent's environment carries the pinned pools'
variables (OMP_NUM_THREADS, which aekit takes as the user's choice), so aekit gets them removed.

A script using it: `--torch-only --threads N` runs the PyTorch part alone and prints one JSON line.
"""
import json
import os
import subprocess
import sys

PINNED = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def thread_counts(text):
    """"1,2" -> [1, 2]"""
    return [int(t) for t in text.split(",") if t.strip()]


def torch_runs(script, forwarded, counts, key):
    """Runs `script --torch-only --threads N *forwarded` for each N in counts; returns every run's
    JSON (with "threads" added) and the fastest by `key` (smaller is faster)."""
    runs = []
    for threads in counts:
        out = subprocess.run([sys.executable, script, "--torch-only", "--threads", str(threads), *forwarded],
                             check=True, stdout=subprocess.PIPE, text=True).stdout
        run = json.loads(out.strip().splitlines()[-1])
        run["threads"] = threads
        runs.append(run)
    return runs, min(runs, key=lambda r: r[key])


def aekit_environment():
    """The environment for aekit: without the pinned pools' variables (see the module's text)."""
    return {k: v for k, v in os.environ.items() if k not in PINNED}


def aekit_thread_flag(threads):
    """--threads N for N > 0; nothing for 0 (aekit's own choice, printed in its banner)."""
    return ["--threads", str(threads)] if threads > 0 else []


def aekit_threads_used(banner):
    """The thread count in aekit's training banner (stderr), or "?"."""
    import re
    found = re.search(r"(\d+) threads", banner)
    return found.group(1) if found else "?"
