"""One thread means one thread: pins PyTorch's and its libraries' thread pools for the recommender
side-by-sides. Import it BEFORE numpy and torch: OpenBLAS and OpenMP read their thread counts from
the environment when they load, and a pool started at load time keeps its threads.

Before this, PyTorch at "--threads 1" (torch.set_num_threads(1) alone) used more CPU seconds than
wall seconds in the AutoRec and Mult-VAE side-by-sides: OpenBLAS's own pool (OPENBLAS_NUM_THREADS,
not covered by torch.set_num_threads on Debian's build) and the inter-op pool ran beside the main
thread. The scripts print PyTorch's CPU over wall seconds so that a run shows it is 1.00 or less.
"""
import os
import sys


def threads_from_argv(default=1):
    """The value of --threads N / --threads=N on the command line (argparse has not run yet)."""
    for k, arg in enumerate(sys.argv):
        if arg == "--threads" and k + 1 < len(sys.argv):
            return int(sys.argv[k + 1])
        if arg.startswith("--threads="):
            return int(arg.split("=", 1)[1])
    return default


THREADS = threads_from_argv()
for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = str(THREADS)


def pin_torch(torch, threads=THREADS):
    """Intra-op pool to `threads`, inter-op pool to 1 (call once, right after importing torch)."""
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)
