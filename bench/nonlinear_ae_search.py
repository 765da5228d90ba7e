#!/usr/bin/python3
"""Nonlinear autoencoders against EASE on aekit's validation carve (issue 6: "an autoencoder that
beats EASE"), every choice made on the carve, as bench/linear_ae_search.py does for the linear ones.

The data, the carve and the scoring are linear_ae_search.py's (imported): the issue's split, aekit's
carve of 10% of each user's training interactions (--seed), aekit's ranking; each model is scored
by NDCG@100 of the held-out interactions ("all", aekit's carve score) and of the held-out positives
(rating >= 4, the test's relevance: "pos"). EASE on the same carve (lambda 250: all 0.2933, pos
0.2851 at --seed 0; ratings under 4 weighted 0.4, lambda 200: pos 0.3009) is the row to beat.

Input: every training rating an interaction, the ratings under 4 of weight --weight (1: every rating
alike, as aekit's mult-* today; 0.4: EASE's best weighting; 0: dropped); the multinomial target is
the same weighted row. The epoch is chosen on the carve (the best "pos" over the epochs, as EASE's
lambda is chosen on it), so every row is an upper bound on what early stopping on the carve gives.
  vae     Liang et al.'s Mult-VAE: items-[hidden]-code, tanh, L2-normalised input, dropout, KL weight
          annealed to --beta over --anneal epochs
  dae     Mult-DAE: the same without the KL (a deterministic code)
  recvae  RecVAE (Shenbin et al. 2020, their published code's settings): a dense encoder of 5
          layers (swish, layer norm eps 0.1, each layer fed the sum of those before), a composite
          prior (standard normal 3/20, the previous epoch's posterior 3/4, a wide normal 1/10),
          the KL weight gamma times the user's interaction count, encoder and decoder updated in
          turn (--enc-epochs passes of the encoder with input dropout 0.5, then one of the decoder
          without dropout), Adam lr 5e-4 for both
The test split is read only with --show-test, for a setting already chosen: it trains on all of
training for the chosen epoch count and prints test NDCG@100 / Recall@20.

--blend LAMBDA also scores EASE (that lambda, the same input) mixed with the model's best-epoch
scores, each standardised over the user's candidates: (1 - a) EASE + a model for a in 0-0.95 (with
--show-test, a = --alpha).

Usage: bench/nonlinear_ae_search.py --model recvae [--weight 0.4] [--seeds 0,1,2] [--epochs 60]
       [--hidden 600] [--latent 200] [--gamma 0.005] [--batch 128] [--blend 200 [--alpha 0.9]]
       [--show-test EPOCHS]
BENCHMARKS.md ("eleventh session") has the commands and figures.
"""
import argparse
import copy
import math
import os
import sys
import time

import torch_threads  # noqa: F401  (before numpy and torch)

import numpy as np
import scipy.sparse
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
from linear_ae_search import load, scores_of, test_metrics, validation_ndcg  # noqa: E402
from movielens_split import DEFAULT_RATINGS  # noqa: E402

torch_threads.pin_torch(torch)


class SparseLinear(nn.Module):
    """nn.Linear(items, hidden) for rows that are ~1% nonzero: an embedding bag over each row's
    nonzeros weighted by their values (torch.sparse.mm is slower than the dense product here).
    The weight is stored transposed (items x hidden); nn.Linear's initialisation."""

    def __init__(self, items, hidden):
        super().__init__()
        bound = 1.0 / math.sqrt(items)
        self.weight = nn.Parameter(torch.empty(items, hidden).uniform_(-bound, bound))
        self.bias = nn.Parameter(torch.empty(hidden).uniform_(-bound, bound))

    def forward(self, x, dropout=0.0):
        """Each row L2-normalised, then dropout (survivors scaled up), then the product."""
        rows, cols = x.nonzero(as_tuple=True)
        counts = torch.bincount(rows, minlength=x.shape[0])
        offsets = torch.zeros(x.shape[0], dtype=torch.long)
        offsets[1:] = counts.cumsum(0)[:-1]
        vals = x[rows, cols]
        norms = torch.zeros(x.shape[0]).index_add_(0, rows, vals * vals).sqrt().clamp_min(1e-12)
        vals = F.dropout(vals / norms[rows], p=dropout, training=self.training)
        return F.embedding_bag(cols, self.weight, offsets, mode="sum", per_sample_weights=vals) + self.bias


def swish(x):
    return x * torch.sigmoid(x)


def log_norm_pdf(x, mu, logvar):
    return -0.5 * (logvar + math.log(2 * math.pi) + (x - mu).pow(2) / logvar.exp())


class RecVaeEncoder(nn.Module):
    def __init__(self, items, hidden, latent, layers=5):
        super().__init__()
        self.fc = nn.ModuleList([SparseLinear(items, hidden)] + [nn.Linear(hidden, hidden) for _ in range(layers - 1)])
        self.ln = nn.ModuleList([nn.LayerNorm(hidden, eps=0.1) for _ in range(layers)])
        self.mu = nn.Linear(hidden, latent)
        self.logvar = nn.Linear(hidden, latent)

    def forward(self, x, dropout):
        hs = []
        for k, (fc, ln) in enumerate(zip(self.fc, self.ln)):
            h = fc(x, dropout) if k == 0 else fc(hs[-1])
            for earlier in hs:
                h = h + earlier
            hs.append(ln(swish(h)))
        return self.mu(hs[-1]), self.logvar(hs[-1])


class RecVae(nn.Module):
    def __init__(self, items, hidden, latent, layers=5, mixture=(3 / 20, 3 / 4, 1 / 10)):
        super().__init__()
        self.encoder = RecVaeEncoder(items, hidden, latent, layers)
        self.old = RecVaeEncoder(items, hidden, latent, layers)
        self.old.requires_grad_(False)
        self.decoder = nn.Linear(latent, items)
        self.mixture = mixture

    def prior(self, x, z):
        mu, logvar = self.old(x, 0.0)
        zero = torch.zeros_like(z)
        parts = [log_norm_pdf(z, zero, zero), log_norm_pdf(z, mu, logvar), log_norm_pdf(z, zero, zero + 10.0)]
        return torch.logsumexp(torch.stack([p + math.log(w) for p, w in zip(parts, self.mixture)], dim=-1), dim=-1)

    def loss(self, x, gamma, dropout):
        mu, logvar = self.encoder(x, dropout)
        z = mu + torch.randn_like(mu) * (0.5 * logvar).exp()
        mll = (F.log_softmax(self.decoder(z), dim=-1) * x).sum(dim=-1).mean()
        kl_weight = gamma * x.sum(dim=-1)
        kld = ((log_norm_pdf(z, mu, logvar) - self.prior(x, z)).sum(dim=-1) * kl_weight).mean()
        return -(mll - kld)

    def scores(self, x):
        mu, _ = self.encoder(x, 0.0)
        return self.decoder(mu)

    def update_prior(self):
        self.old.load_state_dict(copy.deepcopy(self.encoder.state_dict()))


class MultVae(nn.Module):
    """Liang et al.'s Mult-VAE (variational) or Mult-DAE: items-hidden...-latent-...-items, tanh."""

    def __init__(self, items, dims, variational):
        super().__init__()
        self.variational = variational
        enc = [items] + dims[:-1] + [dims[-1] * (2 if variational else 1)]
        self.enc = nn.ModuleList([SparseLinear(enc[0], enc[1])] +
                                 [nn.Linear(a, b) for a, b in zip(enc[1:-1], enc[2:])])
        dec = [dims[-1]] + dims[-2::-1] + [items]
        self.dec = nn.ModuleList([nn.Linear(a, b) for a, b in zip(dec[:-1], dec[1:])])
        self.latent = dims[-1]
        for layer in list(self.enc) + list(self.dec):
            nn.init.xavier_uniform_(layer.weight)
            nn.init.normal_(layer.bias, std=0.001)

    def encode(self, x, dropout):
        h = x
        for k, layer in enumerate(self.enc):
            h = layer(h, dropout) if k == 0 else layer(h)
            if k < len(self.enc) - 1:
                h = torch.tanh(h)
        if self.variational:
            return h[:, :self.latent], h[:, self.latent:]
        return h, None

    def decode(self, z):
        for k, layer in enumerate(self.dec):
            z = layer(z)
            if k < len(self.dec) - 1:
                z = torch.tanh(z)
        return z

    def loss(self, x, beta, dropout):
        mu, logvar = self.encode(x, dropout)
        z = mu
        kl = 0.0
        if self.variational:
            z = mu + torch.randn_like(mu) * (0.5 * logvar).exp() if self.training else mu
            kl = (-0.5 * (1 + logvar - mu.pow(2) - logvar.exp()).sum(dim=-1)).mean()
        mll = (F.log_softmax(self.decode(z), dim=-1) * x).sum(dim=-1).mean()
        return -mll + beta * kl

    def scores(self, x):
        mu, _ = self.encode(x, 0.0)
        return self.decode(mu)


def weighted_matrix(x, rating, w):
    """x (0/1, users x items) with the entries of a rating under 4 weighted w."""
    return np.where(rating >= 4, x, w * x)


def standardised(m, rated):
    """Each user's scores over the candidates (the items not rated) to mean 0 and deviation 1; the
    rated items last."""
    m = np.where(rated > 0, np.nan, m)
    return np.nan_to_num((m - np.nanmean(m, axis=1, keepdims=True)) / np.nanstd(m, axis=1, keepdims=True), nan=-1e9)


def batches(n, size, gen):
    order = torch.randperm(n, generator=gen)
    return [order[k:k + size] for k in range(0, n, size)]


def train(args, inp, epochs, on_epoch, seed):
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    x = torch.tensor(inp, dtype=torch.float32)
    n, items = x.shape
    if args.model == "recvae":
        model = RecVae(items, args.hidden, args.latent, args.layers)
        opt_enc = torch.optim.Adam(model.encoder.parameters(), lr=args.lr)
        opt_dec = torch.optim.Adam(model.decoder.parameters(), lr=args.lr)
        model.update_prior()
    else:
        dims = [int(d) for d in args.arch.split("-")]
        model = MultVae(items, dims, args.model == "vae")
        opt = torch.optim.Adam(model.parameters(), lr=args.lr, weight_decay=args.decay)
    step = 0
    for epoch in range(epochs):
        model.train()
        if args.model == "recvae":
            for _ in range(args.enc_epochs):
                for b in batches(n, args.batch, gen):
                    opt_enc.zero_grad()
                    model.loss(x[b], args.gamma, 0.5).backward()
                    opt_enc.step()
            model.update_prior()
            for b in batches(n, args.batch, gen):
                opt_dec.zero_grad()
                model.loss(x[b], args.gamma, 0.0).backward()
                opt_dec.step()
        else:
            for b in batches(n, args.batch, gen):
                beta = args.beta * min(1.0, epoch / args.anneal) if args.model == "vae" else 0.0
                opt.zero_grad()
                model.loss(x[b], beta, args.dropout).backward()
                opt.step()
                step += 1
        model.eval()
        with torch.no_grad():
            on_epoch(epoch + 1, model.scores(x).numpy())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=DEFAULT_RATINGS)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--model", default="recvae", choices=["recvae", "vae", "dae"])
    parser.add_argument("--seeds", default="0", help="carves (aekit's --seed); the torch seed follows")
    parser.add_argument("--weight", type=float, default=1.0, help="weight of a rating under 4 in the input")
    parser.add_argument("--epochs", type=int, default=60)
    parser.add_argument("--every", type=int, default=1, help="score the carve every this many epochs")
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--lr", type=float, default=5e-4)
    parser.add_argument("--hidden", type=int, default=600)
    parser.add_argument("--latent", type=int, default=200)
    parser.add_argument("--layers", type=int, default=5)
    parser.add_argument("--gamma", type=float, default=0.005)
    parser.add_argument("--enc-epochs", type=int, default=3)
    parser.add_argument("--arch", default="600-200", help="vae/dae: hidden sizes to the code")
    parser.add_argument("--beta", type=float, default=0.2)
    parser.add_argument("--anneal", type=float, default=20)
    parser.add_argument("--dropout", type=float, default=0.5)
    parser.add_argument("--decay", type=float, default=0.0)
    parser.add_argument("--ease", default="", help="also score EASE on each carve: 'lambda' (on the same weight)")
    parser.add_argument("--blend", default="", help="'lambda': also score EASE (this lambda, the same input) "
                        "blended with the model's best-epoch scores, each standardised per user, the model's "
                        "weighted 0.1-0.95 (a two-branch linear + nonlinear autoencoder's upper bound)")
    parser.add_argument("--alpha", type=float, default=0.9, help="--show-test with --blend: the model's weight")
    parser.add_argument("--show-test", type=int, default=0, help="train on all of training for this many epochs "
                        "and print the test figures (a setting already chosen on the carve)")
    args = parser.parse_args()

    label = " ".join(a for a in sys.argv[1:] if not a.startswith("--seeds") and not a.startswith("--show"))
    for seed in [int(s) for s in args.seeds.split(",")]:
        t0 = time.time()
        x, fit, held, positives, rating = load(args.data, seed)
        fit_in = weighted_matrix(fit, rating, args.weight)
        if args.ease:
            lam = float(args.ease)
            fit_sparse = scipy.sparse.csr_matrix(fit_in)
            s = scores_of(fit_sparse, "ease", {"lambda": lam})
            a, p = validation_ndcg(s, fit, held, rating)
            print(f"seed {seed} EASE lambda {lam:g} weight {args.weight:g}: all {a:.4f} pos {p:.4f}", flush=True)
        if args.show_test:
            final = {}
            x_in = weighted_matrix(x, rating, args.weight)
            train(args, x_in, args.show_test, lambda e, s: final.update(scores=s) if e == args.show_test else None, seed)
            ndcg, recall = test_metrics(final["scores"], x, positives)
            print(f"test {label} seed {seed} epochs {args.show_test}: NDCG@100 {ndcg:.4f} Recall@20 {recall:.4f}")
            if args.blend:
                ease = standardised(scores_of(scipy.sparse.csr_matrix(x_in), "ease", {"lambda": float(args.blend)}), x)
                mixed = (1 - args.alpha) * ease + args.alpha * standardised(final["scores"], x)
                ndcg, recall = test_metrics(mixed, x, positives)
                print(f"test blend EASE lambda {args.blend} + {args.alpha:g} x model: NDCG@100 {ndcg:.4f} "
                      f"Recall@20 {recall:.4f}")
            continue
        best = {"pos": (-1, 0), "all": (-1, 0), "scores": None}
        history = []

        def on_epoch(epoch, scores):
            if epoch % args.every:
                return
            a, p = validation_ndcg(scores, fit, held, rating)
            history.append((epoch, a, p))
            if (p, epoch) > best["pos"]:
                best["scores"] = scores
            best["pos"] = max(best["pos"], (p, epoch))
            best["all"] = max(best["all"], (a, epoch))
            print(f"  seed {seed} epoch {epoch:3d} all {a:.4f} pos {p:.4f}  ({time.time() - t0:.0f} s)", flush=True)

        train(args, fit_in, args.epochs, on_epoch, seed)
        if args.blend:
            ease = standardised(scores_of(scipy.sparse.csr_matrix(fit_in), "ease", {"lambda": float(args.blend)}), fit)
            model = standardised(best["scores"], fit)
            for alpha in (0.0, 0.1, 0.2, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95):
                a, p = validation_ndcg((1 - alpha) * ease + alpha * model, fit, held, rating)
                print(f"BLEND {label} seed {seed}: EASE lambda {args.blend} + {alpha:g} x model (epoch "
                      f"{best['pos'][1]}): all {a:.4f} pos {p:.4f}", flush=True)
        print(f"RESULT {label} seed {seed}: best pos {best['pos'][0]:.4f} at epoch {best['pos'][1]}, "
              f"best all {best['all'][0]:.4f} at epoch {best['all'][1]} ({time.time() - t0:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
