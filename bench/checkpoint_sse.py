#!/usr/bin/env python3
"""Average squared error per MNIST test image (the sum over the 784 pixels of the squared error,
averaged over the 10k test digits, pixels / 255) of a dense autoencoder's parameters, read from an
aekit model file or a training checkpoint (--checkpoint-every, or the one Ctrl-C / SIGTERM
writes). For a run stopped before its end: `aekit eval` reads model files only. Checked against
`aekit eval MODEL --data mnist:test` ("sse per sample") on a model file.

  /usr/bin/python3 bench/checkpoint_sse.py run.aek.ckpt \\
      --activation sigmoid --code-activation identity --output-activation sigmoid
"""
import argparse
import json
import os
import re
import struct

import numpy as np

ACT = {
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
    "identity": lambda z: z,
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0.0),
}


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__" or info["dtype"] != "F32":
            continue
        begin, end = info["data_offsets"]
        tensors[name] = np.frombuffer(data[begin:end], dtype="<f4").reshape(info["shape"])
    return tensors


def read_idx_images(path):
    with open(path, "rb") as f:
        magic, count, rows, cols = struct.unpack(">IIII", f.read(16))
        assert magic == 2051, f"{path}: not an IDX image file"
        return np.frombuffer(f.read(), dtype=np.uint8).reshape(count, rows * cols)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file")
    p.add_argument("--activation", default="sigmoid")
    p.add_argument("--code-activation", default="identity")
    p.add_argument("--output-activation", default="sigmoid")
    p.add_argument("--data", default=os.path.join(os.environ.get("AEKIT_DATA", os.path.expanduser("~/.cache/aekit")),
                                                   "mnist", "t10k-images-idx3-ubyte"))
    a = p.parse_args()
    tensors = {re.sub(r"^param\.", "", k): v for k, v in read_safetensors(a.file).items()}
    layers = []
    for half in ("encoder", "decoder"):
        i = 0
        while f"{half}.{i}.weight" in tensors:
            layers.append((half, tensors[f"{half}.{i}.weight"].astype(np.float64), tensors[f"{half}.{i}.bias"].astype(np.float64)))
            i += 1
    n_enc = sum(1 for h, _, _ in layers if h == "encoder")
    x = read_idx_images(a.data).astype(np.float64) / 255.0
    h = x
    for k, (_, w, b) in enumerate(layers):
        act = a.code_activation if k == n_enc - 1 else a.output_activation if k == len(layers) - 1 else a.activation
        h = ACT[act](h @ w.T + b)
    sse = ((h - x) ** 2).sum(axis=1).mean()
    print(f"{a.file}: {len(layers)} dense layers, sse per sample {sse:.4f} on {x.shape[0]} test digits")


if __name__ == "__main__":
    main()
