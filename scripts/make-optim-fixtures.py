#!/usr/bin/python3
"""Writes the PyTorch reference fixtures behind tests/unit/optimizer_parity_test.cpp,
schedule_test.cpp and clip_test.cpp.

Regenerate (needs Debian's python3-torch and python3-numpy, not the toolkit):
    /usr/bin/python3 scripts/make-optim-fixtures.py
then commit tests/fixtures/optim/*.json together with any change to this script.

Each optimizer case records the initial parameters, the 5 gradients fed at each step (random,
fixed by the seed, no model involved) and the parameters after each step, using the
single-tensor (foreach=False) code path whose order of float operations aekit reproduces.
"""
import json
import pathlib

import numpy as np
import torch

SEED = 1234
STEPS = 5
SHAPES = [(3, 4), (4,)]  # a small weight and bias
OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "optim"

# (name, torch class, kwargs); the kwargs use aekit's OptimizerConfig field names, mapped to
# torch's below (betas are split into beta1/beta2 in aekit).
CASES = {
    "sgd": [
        ("plain", {"lr": 0.1}),
        ("momentum", {"lr": 0.05, "momentum": 0.9}),
        ("momentum_dampening", {"lr": 0.05, "momentum": 0.9, "dampening": 0.3}),
        ("nesterov", {"lr": 0.05, "momentum": 0.8, "nesterov": True}),
        ("weight_decay", {"lr": 0.1, "momentum": 0.5, "weight_decay": 0.01}),
    ],
    "rmsprop": [
        ("plain", {}),
        ("momentum", {"lr": 0.005, "momentum": 0.9}),
        ("centered", {"lr": 0.01, "alpha": 0.9, "centered": True}),
        ("weight_decay", {"lr": 0.01, "weight_decay": 0.1, "eps": 1e-6}),
        ("centered_momentum", {"lr": 0.003, "momentum": 0.5, "centered": True}),
    ],
    "adam": [
        ("plain", {}),
        ("weight_decay", {"lr": 0.01, "weight_decay": 0.05}),
        ("amsgrad", {"lr": 0.02, "beta1": 0.8, "beta2": 0.99, "amsgrad": True}),
    ],
    "adamw": [
        ("default", {}),
        ("amsgrad", {"lr": 0.01, "weight_decay": 0.1, "amsgrad": True, "eps": 1e-6}),
    ],
    "adagrad": [
        ("plain", {}),
        ("lr_decay", {"lr": 0.1, "lr_decay": 0.05}),
        ("weight_decay", {"lr": 0.05, "weight_decay": 0.1}),
        ("initial_accumulator_value", {"lr": 0.05, "initial_accumulator_value": 0.5}),
    ],
}
TORCH_CLASS = {"sgd": torch.optim.SGD, "rmsprop": torch.optim.RMSprop, "adam": torch.optim.Adam,
               "adamw": torch.optim.AdamW, "adagrad": torch.optim.Adagrad}


def f32(values):
    """Float32 values as the shortest decimals that read back (through a double) to the same
    float32, so the JSON stays small and exact."""
    out = []
    for x in np.asarray(values, dtype=np.float32).ravel():
        short = float(str(x))
        out.append(short if np.float32(short) == x else float(x))
    return out


def torch_kwargs(kwargs):
    kwargs = dict(kwargs)
    if "beta1" in kwargs or "beta2" in kwargs:
        kwargs["betas"] = (kwargs.pop("beta1", 0.9), kwargs.pop("beta2", 0.999))
    return kwargs


def run_case(name, kwargs):
    params = [torch.randn(*shape) for shape in SHAPES]
    initial = [f32(p) for p in params]
    params = [torch.nn.Parameter(p) for p in params]
    opt = TORCH_CLASS[name](params, **torch_kwargs(kwargs), foreach=False)
    grads, after = [], []
    for _ in range(STEPS):
        step_grads = [torch.randn(*shape) for shape in SHAPES]
        for p, g in zip(params, step_grads):
            p.grad = g.clone()
        opt.step()
        grads.append([f32(g) for g in step_grads])
        after.append([f32(p.detach()) for p in params])
    return {"initial": initial, "grads": grads, "params": after}


def torch_defaults(name):
    opt = TORCH_CLASS[name]([torch.nn.Parameter(torch.zeros(1))], **({"lr": 0.1} if name == "sgd" else {}))
    d = dict(opt.defaults)
    if "betas" in d:
        d["beta1"], d["beta2"] = d.pop("betas")
    keep = ["lr", "weight_decay", "momentum", "dampening", "nesterov", "beta1", "beta2", "amsgrad",
            "alpha", "centered", "lr_decay", "initial_accumulator_value", "eps"]
    if name == "sgd":
        keep.remove("lr")  # torch 1.13 requires an lr for SGD; aekit picks its own default
    return {k: d[k] for k in keep if k in d}


def optimizer_fixture(name):
    cases = []
    for case, kwargs in CASES[name]:
        cases.append({"case": case, "config": kwargs, **run_case(name, kwargs)})
    return {"optimizer": name, "shapes": SHAPES, "defaults": torch_defaults(name), "cases": cases}


def schedule_fixture():
    base_lr = 0.1
    runs = []
    for spec, epochs, make in [
        ("step:3:0.5", 12, lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5)),
        ("step:1:0.9", 10, lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=1, gamma=0.9)),
        ("cosine", 10, lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=10)),
        ("cosine:0.001", 7,
         lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=7, eta_min=0.001)),
    ]:
        opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=base_lr)
        sched = make(opt)
        lrs = []
        for _ in range(2 * epochs):  # cosine: past T_max, where the rate climbs back up
            lrs.append(opt.param_groups[0]["lr"])
            opt.step()
            sched.step()
        runs.append({"spec": spec, "base_lr": base_lr, "epochs": epochs, "lrs": lrs})
    return {"schedules": runs}


def clip_fixture():
    cases = []
    for max_norm, scale in [(1.0, 1.0), (100.0, 1.0), (0.5, 0.01)]:
        grads = [torch.randn(*shape) * scale for shape in SHAPES]
        before = [f32(g) for g in grads]
        params = [torch.nn.Parameter(torch.zeros(*shape)) for shape in SHAPES]
        for p, g in zip(params, grads):
            p.grad = g
        total = torch.nn.utils.clip_grad_norm_(params, max_norm)
        cases.append({"max_norm": max_norm, "grads": before, "total_norm": float(total),
                      "clipped": [f32(p.grad) for p in params]})
    return {"cases": cases}


def write(filename, payload):
    payload = {"torch_version": torch.__version__, "seed": SEED, **payload}
    (OUT / filename).write_text(json.dumps(payload, separators=(",", ":")) + "\n")


def main():
    torch.manual_seed(SEED)
    OUT.mkdir(parents=True, exist_ok=True)
    for name in CASES:
        write(f"{name}.json", optimizer_fixture(name))
    write("schedules.json", schedule_fixture())
    write("clip.json", clip_fixture())


if __name__ == "__main__":
    main()
