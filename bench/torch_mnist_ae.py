#!/usr/bin/python3
"""PyTorch reference for the side-by-side autoencoder benchmarks (bench/side_by_side.py).

Trains the seeds' MNIST autoencoder exactly as aekit's side of the benchmark does:
  Linear 784-128, sigmoid, Linear 128-64, sigmoid, Linear 64-128, sigmoid, Linear 128-784, sigmoid
  (PyTorch's default Linear init), MSE loss (mean), Adam, inputs = pixels / 255, shuffled every
  epoch, last partial batch included. --arch 784-1000-500-250-30 gives the deep autoencoder (the
  encoder mirrored, sigmoid after every layer); --rows N trains on the first N images only.

Run with Debian's interpreter (python3-torch, python3-numpy):
  /usr/bin/python3 bench/torch_mnist_ae.py --epochs 10 --threads 2 [--json]

Debian's OpenBLAS 0.3.21 does not recognise recent Xeons and falls back to SSE3 kernels; compare
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/torch_mnist_ae.py
  OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 bench/torch_mnist_ae.py
The JSON output records which BLAS core was in use.
"""

import argparse
import ctypes
import gzip
import json
import os
import statistics
import sys
import time

# Set before torch loads OpenBLAS, so its thread pool matches --threads from the start.
def _early_threads(argv):
    for i, a in enumerate(argv):
        if a == "--threads" and i + 1 < len(argv):
            return argv[i + 1]
        if a.startswith("--threads="):
            return a.split("=", 1)[1]
    return "2"


os.environ.setdefault("OPENBLAS_NUM_THREADS", _early_threads(sys.argv[1:]))

import numpy as np  # noqa: E402
import torch  # noqa: E402

IDX_DTYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def default_data_dir():
    root = os.environ.get("AEKIT_DATA") or os.path.join(os.path.expanduser("~"), ".cache", "aekit")
    return os.path.join(root, "mnist")


def find_idx(data_dir, stem):
    for name in (stem, stem + ".gz"):
        path = os.path.join(data_dir, name)
        if os.path.isfile(path):
            return path
    return None


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read()
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in IDX_DTYPES:
        raise ValueError(f"{path}: not an IDX file (bad magic)")
    ndim = raw[3]
    header = 4 + 4 * ndim
    dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    dtype = np.dtype(IDX_DTYPES[raw[2]])
    count = int(np.prod(dims)) if dims else 0
    if len(raw) < header + count * dtype.itemsize:
        raise ValueError(f"{path}: truncated (dims {dims}, {len(raw)} bytes)")
    return np.frombuffer(raw, dtype=dtype, count=count, offset=header).reshape(dims)


def load_images(path):
    a = read_idx(path)
    if a.ndim != 3 or a.shape[1:] != (28, 28):
        raise ValueError(f"{path}: expected N x 28 x 28 images, got shape {a.shape}")
    return torch.from_numpy(a.reshape(a.shape[0], 784).astype(np.float32) / np.float32(255.0))


def openblas_info():
    """Which BLAS torch loaded and, for OpenBLAS, the core (kernel family) it chose."""
    info = {}
    libs = []
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                p = line.split()[-1]
                if p.startswith("/") and ("blas" in p or "lapack" in p or "mkl" in p) and p not in libs:
                    libs.append(p)
    except OSError:
        pass
    info["libraries"] = libs
    for p in libs:
        try:
            lib = ctypes.CDLL(p)
        except OSError:
            continue
        if hasattr(lib, "openblas_get_corename"):
            lib.openblas_get_corename.restype = ctypes.c_char_p
            info["openblas_corename"] = lib.openblas_get_corename().decode()
            if hasattr(lib, "openblas_get_config"):
                lib.openblas_get_config.restype = ctypes.c_char_p
                info["openblas_config"] = lib.openblas_get_config().decode().strip()
            if hasattr(lib, "openblas_get_num_threads"):
                info["openblas_num_threads"] = lib.openblas_get_num_threads()
            break
    try:  # Debian python3-threadpoolctl, if installed
        import threadpoolctl

        info["threadpoolctl"] = [
            {k: d.get(k) for k in ("internal_api", "version", "architecture", "num_threads", "filepath")}
            for d in threadpoolctl.threadpool_info()
        ]
    except ImportError:
        pass
    cfg = torch.__config__.show()
    info["torch_config"] = [
        l.strip(" -") for l in cfg.splitlines() if "BLAS_INFO" in l or "CPU capability" in l or "MKL" in l
    ]
    info["torch_config"] = [
        (l.split(", ")[0] if l.startswith("Build settings") else l) for l in info["torch_config"]
    ]
    for part in cfg.replace("\n", ", ").split(", "):
        if part.startswith("BLAS_INFO="):
            info["torch_blas_info"] = part.split("=", 1)[1]
    return info


def set_openblas_threads(n):
    try:
        with open("/proc/self/maps") as f:
            paths = {l.split()[-1] for l in f if "openblas" in l}
    except OSError:
        return
    for p in paths:
        try:
            lib = ctypes.CDLL(p)
        except OSError:
            continue
        if hasattr(lib, "openblas_set_num_threads"):
            lib.openblas_set_num_threads(ctypes.c_int(n))
            return


def build_model(encoder):
    """Linear + sigmoid for every layer of the encoder and its mirror image (aekit's default)."""
    sizes = list(encoder) + list(reversed(encoder))[1:]
    layers = []
    for i in range(len(sizes) - 1):
        layers += [torch.nn.Linear(sizes[i], sizes[i + 1]), torch.nn.Sigmoid()]
    return torch.nn.Sequential(*layers)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--batch-size", type=int, default=256)
    ap.add_argument("--lr", type=float, default=0.01)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--arch", default="784-128-64",
                    help="encoder sizes, mirrored for the decoder (784-1000-500-250-30: the deep one)")
    ap.add_argument("--rows", type=int, default=0, help="train on the first ROWS images only (0: all)")
    ap.add_argument("--data", default=None, help="directory with the MNIST IDX files "
                    "(default: $AEKIT_DATA/mnist or ~/.cache/aekit/mnist)")
    ap.add_argument("--json", action="store_true", help="print one final JSON object")
    ap.add_argument("--flush-denormals", action="store_true",
                    help="torch.set_flush_denormal(True): subnormal floats as 0 (aekit's --flush-denormals)")
    args = ap.parse_args()
    if args.epochs < 1 or args.batch_size < 1 or args.threads < 1:
        print("error: --epochs, --batch-size and --threads must be positive", file=sys.stderr)
        return 2

    data_dir = args.data or default_data_dir()
    train_path = find_idx(data_dir, "train-images-idx3-ubyte")
    test_path = find_idx(data_dir, "t10k-images-idx3-ubyte")
    if train_path is None or test_path is None:
        missing = [n for n, p in (("train-images-idx3-ubyte", train_path),
                                  ("t10k-images-idx3-ubyte", test_path)) if p is None]
        print(f"error: MNIST not found in {data_dir} (missing {', '.join(missing)}[.gz]).\n"
              f"Fetch it with `scripts/fetch-data` (puts it in $AEKIT_DATA/mnist, default "
              f"~/.cache/aekit/mnist), or point --data at a directory holding the IDX files.",
              file=sys.stderr)
        return 2
    try:
        x_train = load_images(train_path)
        x_test = load_images(test_path)
        if args.rows > 0:
            x_train = x_train[:args.rows].clone()
    except (OSError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2

    torch.set_num_threads(args.threads)
    set_openblas_threads(args.threads)
    if args.flush_denormals and not torch.set_flush_denormal(True):
        print("note: this CPU cannot flush denormals; PyTorch keeps them", file=sys.stderr)
    torch.manual_seed(args.seed)
    gen = torch.Generator().manual_seed(args.seed)

    model = build_model([int(v) for v in args.arch.split("-")])
    loss_fn = torch.nn.MSELoss()
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    n = x_train.shape[0]
    blas = openblas_info()
    if not args.json:
        print(f"torch {torch.__version__}, threads {args.threads}, "
              f"BLAS {blas.get('openblas_corename', blas.get('torch_blas_info', '?'))}, "
              f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE')}, train {n}, test {x_test.shape[0]}")

    epoch_seconds = []
    for epoch in range(1, args.epochs + 1):
        model.train()
        t0 = time.perf_counter()
        perm = torch.randperm(n, generator=gen)
        total = 0.0
        for start in range(0, n, args.batch_size):
            xb = x_train[perm[start:start + args.batch_size]]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xb), xb)
            loss.backward()
            opt.step()
            total += loss.item() * xb.shape[0]
        dt = time.perf_counter() - t0
        epoch_seconds.append(dt)
        print(f"epoch {epoch}/{args.epochs}  train loss {total / n:.6f}  {dt:.3f} s  "
              f"{n / dt:.0f} samples/s", file=sys.stderr if args.json else sys.stdout)

    model.eval()
    with torch.no_grad():
        test_mse = torch.mean((model(x_test) - x_test) ** 2).item()
    mean_epoch = statistics.mean(epoch_seconds[1:] if len(epoch_seconds) > 1 else epoch_seconds)
    if args.json:
        print(json.dumps({
            "framework": "pytorch",
            "torch_version": torch.__version__,
            "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE"),
            "blas_kernel": blas,
            "threads": args.threads,
            "epochs": args.epochs,
            "batch_size": args.batch_size,
            "arch": args.arch,
            "rows": int(n),
            "lr": args.lr,
            "seed": args.seed,
            "epoch_seconds": [round(s, 4) for s in epoch_seconds],
            "mean_epoch_seconds": round(mean_epoch, 4),
            "test_mse_per_pixel": test_mse,
        }))
    else:
        print(f"test MSE per pixel {test_mse:.6f}; mean epoch {mean_epoch:.3f} s"
              + (" (excluding the first)" if len(epoch_seconds) > 1 else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
