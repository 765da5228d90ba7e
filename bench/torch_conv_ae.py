#!/usr/bin/python3
"""PyTorch reference for the side-by-side convolutional autoencoder benchmark (issue 11).

The reference architecture, trained exactly as aekit's side of the benchmark does:
  Conv2d(1,16,3,s2,p1) ReLU Conv2d(16,32,3,s2,p1) ReLU Flatten Linear(1568,32)
  Linear(32,1568) ReLU Unflatten(32,7,7) ConvTranspose2d(32,16,3,s2,p1,op1) ReLU
  ConvTranspose2d(16,1,3,s2,p1,op1) Sigmoid
PyTorch's default init, MSE (mean), Adam lr 1e-3, batch 128 shuffled every epoch (last partial
batch kept), inputs = pixels / 255, MNIST or Fashion-MNIST.

Run with Debian's interpreter (python3-torch, python3-numpy):
  /usr/bin/python3 bench/torch_conv_ae.py --dataset mnist --epochs 3 --threads 1 [--json]
  (--train-rows/--test-rows take the first N images: the slice tests/e2e/conv_autoencoder_test.cpp
  trains on)
"""

import argparse
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_mnist_ae import find_idx, load_images  # noqa: E402  (sets the BLAS thread count)

import torch  # noqa: E402


def data_dir(dataset):
    root = os.environ.get("AEKIT_DATA") or os.path.join(os.path.expanduser("~"), ".cache", "aekit")
    return os.path.join(root, dataset)


def build_model():
    return torch.nn.Sequential(
        torch.nn.Conv2d(1, 16, 3, stride=2, padding=1), torch.nn.ReLU(),
        torch.nn.Conv2d(16, 32, 3, stride=2, padding=1), torch.nn.ReLU(),
        torch.nn.Flatten(), torch.nn.Linear(1568, 32),
        torch.nn.Linear(32, 1568), torch.nn.ReLU(), torch.nn.Unflatten(1, (32, 7, 7)),
        torch.nn.ConvTranspose2d(32, 16, 3, stride=2, padding=1, output_padding=1), torch.nn.ReLU(),
        torch.nn.ConvTranspose2d(16, 1, 3, stride=2, padding=1, output_padding=1), torch.nn.Sigmoid(),
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dataset", default="mnist", choices=["mnist", "fashion-mnist"])
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--train-rows", type=int, default=0, help="use only the first N training images (0: all)")
    ap.add_argument("--test-rows", type=int, default=0, help="test on the first N test images (0: all)")
    ap.add_argument("--json", action="store_true", help="print one final JSON object")
    args = ap.parse_args()

    directory = data_dir(args.dataset)
    paths = [find_idx(directory, s) for s in ("train-images-idx3-ubyte", "t10k-images-idx3-ubyte")]
    if None in paths:
        print(f"error: {args.dataset} not found in {directory}; run scripts/fetch-data", file=sys.stderr)
        return 2
    x_train, x_test = (load_images(p).reshape(-1, 1, 28, 28) for p in paths)
    if args.train_rows:
        x_train = x_train[:args.train_rows]
    if args.test_rows:
        x_test = x_test[:args.test_rows]

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    gen = torch.Generator().manual_seed(args.seed)
    model = build_model()
    loss_fn = torch.nn.MSELoss()
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    n = x_train.shape[0]
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
        print(f"epoch {epoch}/{args.epochs}  train loss {total / n:.6f}  {dt:.3f} s",
              file=sys.stderr if args.json else sys.stdout)
    model.eval()
    with torch.no_grad():
        test_mse = statistics.fmean(
            torch.mean((model(x_test[i:i + 1000]) - x_test[i:i + 1000]) ** 2).item()
            for i in range(0, x_test.shape[0], 1000))
    mean_epoch = statistics.mean(epoch_seconds[1:] if len(epoch_seconds) > 1 else epoch_seconds)
    result = {"framework": "pytorch", "torch_version": torch.__version__, "dataset": args.dataset,
              "threads": args.threads, "epochs": args.epochs, "epoch_seconds": [round(s, 4) for s in epoch_seconds],
              "mean_epoch_seconds": round(mean_epoch, 4), "test_mse_per_pixel": test_mse}
    if args.json:
        print(json.dumps(result))
    else:
        print(f"test MSE per pixel {test_mse:.6f}; mean epoch {mean_epoch:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
