#!/usr/bin/python3
"""Side-by-side: the MNIST variational autoencoder in aekit and in PyTorch, in one run.

The network of PyTorch's VAE example (examples/vae/main.py): Linear 784-400, relu, Linear 400-40
(20 means and 20 log-variances), the reparameterised sample z = mu + exp(logvar / 2) eps,
Linear 20-400, relu, Linear 400-784, sigmoid; loss binary cross-entropy (summed over pixels) plus
KL(q(z|x) || N(0, I)); Adam lr 1e-3, batch 128, pixels / 255, PyTorch's default Linear init.
aekit trains the same network from examples/mnist_vae.conf.

Both sides report the test ELBO per digit (nats) the way `aekit eval` does, deterministically at
the posterior mean: -(sum_i BCE(x_i, decoder(mu)_i) + KL). PyTorch's example prints the sampled
version (z drawn once per test digit) as its "test set loss"; it is printed too.

  /usr/bin/python3 bench/vae_side_by_side.py [--epochs 10] [--threads 1] [--aekit build/aekit]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)


def run_aekit(binary, epochs, threads):
    with tempfile.TemporaryDirectory() as tmp:
        model = os.path.join(tmp, "vae.aek")
        start = time.time()
        subprocess.run([binary, "train", "--config", os.path.join(ROOT, "examples", "mnist_vae.conf"),
                        "--epochs", str(epochs), "--threads", str(threads), "--out", model],
                       check=True, capture_output=True, text=True)
        seconds = time.time() - start
        out = subprocess.run([binary, "eval", model, "--data", "mnist:test", "--json", "--threads", str(threads)],
                             check=True, capture_output=True, text=True)
        e = json.loads(out.stdout)
        return {"elbo": e["elbo_per_sample"], "reconstruction": e["reconstruction_nll_per_sample"],
                "kl": e["kl_per_sample"], "train_seconds": seconds}


def run_torch(epochs, threads, seed):
    os.environ.setdefault("OPENBLAS_NUM_THREADS", str(threads))
    import numpy as np
    import torch
    from torch import nn
    from torch.nn import functional as F
    from torch_mnist_ae import default_data_dir, find_idx, load_images

    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    d = default_data_dir()
    train = load_images(find_idx(d, "train-images-idx3-ubyte"))
    test = load_images(find_idx(d, "t10k-images-idx3-ubyte"))

    class Vae(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1, self.fc2 = nn.Linear(784, 400), nn.Linear(400, 40)
            self.fc3, self.fc4 = nn.Linear(20, 400), nn.Linear(400, 784)

        def encode(self, x):
            stats = self.fc2(F.relu(self.fc1(x)))
            return stats[:, :20], stats[:, 20:]

        def decode(self, z):
            return torch.sigmoid(self.fc4(F.relu(self.fc3(z))))

        def forward(self, x, sample=True):
            mu, logvar = self.encode(x)
            z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu) if sample else mu
            return self.decode(z), mu, logvar

    def terms(model, x, sample):
        recon, mu, logvar = model(x, sample)
        bce = F.binary_cross_entropy(recon, x, reduction="sum")
        kl = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
        return bce, kl

    model = Vae()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    start = time.time()
    for _ in range(epochs):
        perm = torch.randperm(train.shape[0])
        for b in range(0, train.shape[0], 128):
            x = train[perm[b:b + 128]]
            bce, kl = terms(model, x, True)
            opt.zero_grad()
            ((bce + kl) / x.shape[0]).backward()  # the per-sample mean, as aekit's objective (times 784)
            opt.step()
    seconds = time.time() - start
    with torch.no_grad():
        bce, kl = terms(model, test, False)
        sampled_bce, sampled_kl = terms(model, test, True)
    n = test.shape[0]
    return {"elbo": -(bce + kl).item() / n, "reconstruction": bce.item() / n, "kl": kl.item() / n,
            "sampled_elbo": -(sampled_bce + sampled_kl).item() / n, "train_seconds": seconds}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--aekit", default=os.path.join(ROOT, "build", "aekit"))
    a = p.parse_args()
    ae = run_aekit(a.aekit, a.epochs, a.threads)
    pt = run_torch(a.epochs, a.threads, a.seed)
    print(f"MNIST VAE 784-400-20, {a.epochs} epochs, {a.threads} thread(s); test ELBO per digit at the posterior mean")
    print(f"{'':8} {'ELBO':>10} {'recon':>10} {'KL':>8} {'train s':>8}")
    for name, r in (("aekit", ae), ("pytorch", pt)):
        print(f"{name:8} {r['elbo']:10.2f} {r['reconstruction']:10.2f} {r['kl']:8.2f} {r['train_seconds']:8.1f}")
    print(f"pytorch's sampled test ELBO (one z per digit, as its example prints): {pt['sampled_elbo']:.2f}")
    print(json.dumps({"aekit": ae, "pytorch": pt, "epochs": a.epochs, "threads": a.threads}))


if __name__ == "__main__":
    main()
