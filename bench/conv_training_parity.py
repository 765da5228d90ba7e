#!/usr/bin/python3
"""Training parity of issue 11's convolutional autoencoder: aekit and PyTorch from the same weights.

aekit draws the initial weights (a run with --lr 0 writes them unchanged), then trains on the first
2048 MNIST images without shuffling; PyTorch (bench/torch_conv_ae.py's model) loads those initial
weights and trains on the same batches in the same order. The per-epoch training losses and the
final weights must agree to float rounding: then a difference in test MSE between the two
benchmarks' runs comes from the seed (initial weights and shuffling), not from what the training
computes (initialisation bounds are checked by tests/unit/init_test.cpp).

  /usr/bin/python3 bench/conv_training_parity.py [--aekit build/aekit] [--epochs 3]
"""

import argparse
import json
import os
import struct
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from conv_side_by_side import ARCH, ROOT, first_images  # noqa: E402
from torch_conv_ae import build_model  # noqa: E402

import torch  # noqa: E402

LAYERS = ["encoder.0", "encoder.1", "encoder.2", "decoder.0", "decoder.1", "decoder.2"]
MODULES = [0, 2, 5, 6, 9, 11]  # their indices in build_model()'s Sequential


def read_model(path):
    """The float32 tensors of an aekit model file (safetensors layout)."""
    with open(path, "rb") as f:
        blob = f.read()
    n = struct.unpack("<Q", blob[:8])[0]
    header = json.loads(blob[8:8 + n])
    tensors = {}
    for name, info in header.items():
        if name != "__metadata__" and info["dtype"] == "F32":
            begin, end = info["data_offsets"]
            data = np.frombuffer(blob[8 + n + begin:8 + n + end], dtype=np.float32)
            tensors[name] = torch.from_numpy(data.reshape(info["shape"]).copy())
    return tensors


def train_aekit(aekit, data, lr, epochs, out):
    command = [aekit, "train", "--data", data, "--input-shape", "1x28x28", "--arch", ARCH, "--output-activation",
               "sigmoid", "--loss", "mse", "--optimizer", "adam", "--lr", str(lr), "--batch-size", "128",
               "--epochs", str(epochs), "--seed", "0", "--threads", "1", "--preprocess", "scale", "--shuffle",
               "false", "--out", out]
    text = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return [float(line.split()[3]) for line in text.splitlines() if line.startswith("epoch ")]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aekit", default=os.path.join(ROOT, "build", "aekit"))
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(1)
    with tempfile.TemporaryDirectory() as tmp:
        data = first_images(tmp, "mnist", "train", 2048)
        train_aekit(args.aekit, data, 0, 1, os.path.join(tmp, "init.aek"))
        aekit_losses = train_aekit(args.aekit, data, 0.001, args.epochs, os.path.join(tmp, "trained.aek"))
        initial = read_model(os.path.join(tmp, "init.aek"))
        final = read_model(os.path.join(tmp, "trained.aek"))
        x = torch.from_numpy(np.load(data).astype(np.float32) / np.float32(255.0)).reshape(-1, 1, 28, 28)

    model = build_model()
    with torch.no_grad():
        for name, index in zip(LAYERS, MODULES):
            model[index].weight.copy_(initial[name + ".weight"])
            model[index].bias.copy_(initial[name + ".bias"])
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.MSELoss()
    torch_losses = []
    for _ in range(args.epochs):
        total = 0.0
        for start in range(0, x.shape[0], 128):
            xb = x[start:start + 128]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xb), xb)
            loss.backward()
            opt.step()
            total += loss.item() * xb.shape[0]
        torch_losses.append(total / x.shape[0])
    for epoch, (a, t) in enumerate(zip(aekit_losses, torch_losses), 1):
        print(f"epoch {epoch}: training loss aekit {a:.6f}  pytorch {t:.6f}")
    worst = 0.0
    for name, index in zip(LAYERS, MODULES):
        for part in ("weight", "bias"):
            theirs = getattr(model[index], part).detach()
            diff = (final[f"{name}.{part}"] - theirs).abs().max().item()
            worst = max(worst, diff / max(theirs.abs().max().item(), 1e-12))
            print(f"{name}.{part:6}  max |aekit - pytorch| {diff:.2e}  (max |w| {theirs.abs().max().item():.3f})")
    print(f"largest difference relative to the tensor's largest value: {worst:.1e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
