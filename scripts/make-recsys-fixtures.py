#!/usr/bin/python3
"""Writes tests/fixtures/recsys/numpy_permutation.json: numpy's legacy seeded permutations, which
aekit's --holdout split reproduces (aekit/recsys/rating_split.h). Run with Debian's python3."""
import json
import os

import numpy as np

cases = []
for n, seed in [(1, 0), (2, 0), (10, 0), (100, 0), (1000, 7), (100004, 0)]:
    np.random.seed(seed)
    p = np.random.permutation(n)
    cases.append({"n": n, "seed": seed, "head": p[:50].tolist(), "tail": p[-50:].tolist()})
out = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "recsys", "numpy_permutation.json")
with open(out, "w") as f:
    f.write('{"numpy": "%s", "cases": [\n' % np.__version__)
    f.write(",\n".join(json.dumps(c) for c in cases))
    f.write("\n]}\n")
