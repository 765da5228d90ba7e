#!/usr/bin/python3
"""Writes the PyTorch reference fixtures behind tests/unit/conv_layers_parity_test.cpp.

Regenerate (needs Debian's python3-torch and python3-numpy, not the toolkit):
    /usr/bin/python3 scripts/make-conv-fixtures.py
then commit tests/fixtures/conv/*.json together with any change to this script.

Each case records a layer's settings, an input batch (NCHW), its parameters, the output, a random
output gradient dy and the gradients PyTorch's autograd gives for the input and the parameters.
Sizes are small and odd on purpose: stride > 1 with a remainder, padding, output_padding,
dilation and rectangular kernels are where the shape formulas and the kernels go wrong.
"""
import json
import pathlib

import numpy as np
import torch
import torch.nn.functional as F

SEED = 1234
OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "conv"


def f32(values):
    """Float32 values as the shortest decimals that read back to the same float32."""
    out = []
    for x in np.asarray(values.detach() if torch.is_tensor(values) else values, dtype=np.float32).ravel():
        short = float(str(x))
        out.append(short if np.float32(short) == x else float(x))
    return out


def pair(v):
    return list(v) if isinstance(v, (tuple, list)) else [v, v]


def run(module, x_shape, after=None):
    """Forward and backward of one module (then `after`, an activation) on a random input; the
    common part of each case."""
    x = torch.randn(*x_shape, requires_grad=True)
    y = module(x)
    if after is not None:
        y = after(y)
    dy = torch.randn(*y.shape)
    y.backward(dy)
    case = {"input_shape": list(x.shape), "output_shape": list(y.shape), "x": f32(x), "y": f32(y),
            "dy": f32(dy), "dx": f32(x.grad)}
    for name, p in module.named_parameters():
        case[name] = f32(p)
        case["d" + name] = f32(p.grad)
    return case


def conv_cases():
    cases = []
    # (name, transposed, in, out, kernel, stride, padding, output_padding, dilation, bias, input HxW,
    #  activation applied to the output: aekit fuses it into the layer)
    for name, transposed, cin, cout, k, s, p, op, d, bias, hw, act in [
        ("conv_k3", False, 3, 4, 3, 1, 0, 0, 1, True, (7, 6), None),
        ("conv_k3s2p1_odd_relu", False, 2, 3, 3, 2, 1, 0, 1, True, (7, 7), "relu"),
        ("conv_rect_dilated_nobias", False, 2, 3, (3, 2), (2, 1), (1, 0), 0, (2, 1), False, (9, 8), None),
        ("conv_k5s3p2_remainder", False, 1, 2, 5, 3, 2, 0, 1, True, (8, 7), "tanh"),
        ("conv_1x1", False, 3, 2, 1, 1, 0, 0, 1, True, (4, 5), None),
        ("convT_k3s2p1op1_sigmoid", True, 4, 3, 3, 2, 1, 1, 1, True, (4, 4), "sigmoid"),
        ("convT_k3", True, 2, 3, 3, 1, 0, 0, 1, True, (5, 4), None),
        ("convT_rect_nobias", True, 3, 2, (3, 4), (2, 3), (1, 2), (0, 1), 1, False, (3, 4), None),
        ("convT_dilated_op_relu", True, 2, 2, 3, 1, 1, 1, 2, True, (5, 5), "relu"),
        ("convT_k2s2_softplus", True, 3, 1, 2, 2, 0, 0, 1, True, (3, 5), "softplus"),
    ]:
        cls = torch.nn.ConvTranspose2d if transposed else torch.nn.Conv2d
        kwargs = {"stride": s, "padding": p, "dilation": d, "bias": bias}
        if transposed:
            kwargs["output_padding"] = op
        module = cls(cin, cout, k, **kwargs)
        case = {"name": name, "layer": "conv_transpose2d" if transposed else "conv2d",
                "in_channels": cin, "out_channels": cout, "kernel": pair(k), "stride": pair(s),
                "padding": pair(p), "output_padding": pair(op), "dilation": pair(d), "with_bias": bias,
                "activation": act or "identity"}
        after = {"relu": F.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid, "softplus": F.softplus,
                 None: None}[act]
        case.update(run(module, (2, cin, *hw), after))
        cases.append(case)
    return cases


def pool_cases():
    cases = []
    for name, k, s, p, d, ceil, hw in [
        ("k2", 2, None, 0, 1, False, (6, 7)),
        ("k3s2p1", 3, 2, 1, 1, False, (7, 7)),
        ("k3s2_ceil", 3, 2, 0, 1, True, (8, 6)),
        ("k2s1_dilated", 2, 1, 0, 2, False, (5, 6)),
        ("rect", (2, 3), (1, 2), (1, 1), 1, True, (5, 7)),
    ]:
        module = torch.nn.MaxPool2d(k, stride=s, padding=p, dilation=d, ceil_mode=ceil)
        case = {"name": name, "kernel": pair(k), "stride": pair(s if s is not None else 0),
                "padding": pair(p), "dilation": pair(d), "ceil_mode": ceil}
        case.update(run(module, (2, 3, *hw)))
        cases.append(case)
    return cases


def upsample_cases():
    cases = []
    for name, mode, scale, size, align, hw in [
        ("nearest_x2", "nearest", 2, None, None, (3, 4)),
        ("nearest_size", "nearest", None, (7, 5), None, (3, 4)),
        ("nearest_x3x2", "nearest", (3, 2), None, None, (2, 3)),
        ("bilinear_x2", "bilinear", 2, None, False, (3, 4)),
        ("bilinear_x2_align", "bilinear", 2, None, True, (3, 4)),
        ("bilinear_size", "bilinear", None, (5, 7), False, (4, 3)),
        ("bilinear_size_align", "bilinear", None, (7, 4), True, (3, 5)),
    ]:
        kwargs = {"mode": mode}
        if scale is not None:
            kwargs["scale_factor"] = scale
        else:
            kwargs["size"] = size
        if align is not None:
            kwargs["align_corners"] = align
        module = torch.nn.Upsample(**kwargs)
        case = {"name": name, "mode": mode, "scale": pair(scale) if scale is not None else [0, 0],
                "size": list(size) if size is not None else [0, 0], "align_corners": bool(align)}
        case.update(run(module, (2, 2, *hw)))
        cases.append(case)
    return cases


def batch_norm_cases():
    """Three training steps (outputs, gradients, running statistics after each), then inference."""
    cases = []
    for name, momentum, affine in [("default", 0.1, True), ("cumulative", None, True),
                                   ("no_affine", 0.3, False)]:
        module = torch.nn.BatchNorm2d(3, momentum=momentum, affine=affine)
        if affine:
            with torch.no_grad():
                module.weight.copy_(torch.rand(3) + 0.5)
                module.bias.copy_(torch.randn(3))
        case = {"name": name, "momentum": momentum, "affine": affine, "eps": module.eps,
                "initial": {n: f32(p) for n, p in module.named_parameters()}, "steps": []}
        module.train()
        for _ in range(3):
            module.zero_grad()
            step = run(module, (3, 3, 2, 3))
            for n in ("weight", "bias"):
                step.pop(n, None)  # the parameters do not change between steps (no optimizer)
            step["running_mean"] = f32(module.running_mean)
            step["running_var"] = f32(module.running_var)
            case["steps"].append(step)
        module.eval()
        x = torch.randn(2, 3, 2, 3) * 2 + 1
        case["eval"] = {"x": f32(x), "y": f32(module(x))}
        cases.append(case)
    return cases


def write(filename, cases):
    payload = {"torch_version": torch.__version__, "seed": SEED, "cases": cases}
    (OUT / filename).write_text(json.dumps(payload, separators=(",", ":")) + "\n")


def main():
    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    OUT.mkdir(parents=True, exist_ok=True)
    write("conv.json", conv_cases())
    write("max_pool.json", pool_cases())
    write("upsample.json", upsample_cases())
    write("batch_norm.json", batch_norm_cases())


if __name__ == "__main__":
    main()
