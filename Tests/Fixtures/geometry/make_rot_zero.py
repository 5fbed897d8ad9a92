#!/usr/bin/env python3
"""rot_from_axisangle and transformation_from_parameters at exactly zero axis-angle, with gradients, from the
ORIGINAL layers.py (monodepth2==1.0.0). torch.norm's backward is 0 where the norm is 0 (it masks x / ||x||), so the
gradient there is finite; with the rest of the formula (axis = vec / (angle + 1e-7), sin(0) = 0, 1 - cos(0) = 0) it is
exactly 0 for the zero rows, in float32 and float64 alike.

Inputs (no random numbers): vec / axisangle (3, 1, 3) with row 0 exactly zero, row 1 = (0.1, -0.2, 0.3), row 2 =
(0, 0, -0.05); translation (3, 1, 3) = (0.5, -1, 2) · (b + 1); G (3, 4, 4), G[b, i, j] = ((16 b + 4 i + j) mod 7 - 3) / 3.
Gradients are of the scalar sum(out * G). Written: rot_zero.json beside this script, every value in float32 (as a
Python float) plus the float64 run's maximum difference over each array (the noise floor).

Run:  VENV/bin/python make_rot_zero.py --md2 MD2 > rot_zero.json
(VENV and MD2 as in ../shared/reference/torch/README.md.)
"""
import argparse, json, os, sys

ap = argparse.ArgumentParser()
ap.add_argument("--md2", required=True)
a = ap.parse_args()
sys.path.insert(0, os.path.abspath(a.md2))
import torch  # noqa: E402
from layers import rot_from_axisangle, transformation_from_parameters  # noqa: E402

torch.set_num_threads(1)


def inputs(dtype):
    vec = torch.tensor([[[0.0, 0.0, 0.0]], [[0.1, -0.2, 0.3]], [[0.0, 0.0, -0.05]]], dtype=torch.float32).to(dtype)
    trans = torch.tensor([[[0.5 * (b + 1), -1.0 * (b + 1), 2.0 * (b + 1)]] for b in range(3)], dtype=torch.float32).to(dtype)
    g = torch.tensor([[[((16 * b + 4 * i + j) % 7 - 3) / 3 for j in range(4)] for i in range(4)] for b in range(3)],
                     dtype=torch.float32).to(dtype)
    return vec, trans, g


def run(dtype):
    out = {}
    vec, _, g = inputs(dtype)
    vec.requires_grad_(True)
    rot = rot_from_axisangle(vec)
    (rot * g).sum().backward()
    out["rot"] = {"in_vec": vec.detach(), "G": g, "out": rot.detach(), "grad_vec": vec.grad}
    for invert in (False, True):
        aa, t, g = inputs(dtype)
        aa.requires_grad_(True); t.requires_grad_(True)
        m = transformation_from_parameters(aa, t, invert=invert)
        (m * g).sum().backward()
        out["transform_invert" if invert else "transform"] = {
            "in_axisangle": aa.detach(), "in_translation": t.detach(), "G": g, "out": m.detach(),
            "grad_axisangle": aa.grad, "grad_translation": t.grad}
    return out


r32, r64 = run(torch.float32), run(torch.float64)
doc = {"generated_by": "Tests/Fixtures/geometry/make_rot_zero.py (original layers.py, torch %s)" % torch.__version__}
for case, arrays in r32.items():
    entry = {}
    for name, t in arrays.items():
        assert torch.isfinite(t).all(), (case, name)
        entry[name] = {"shape": list(t.shape), "values": [float(v) for v in t.reshape(-1)],
                       "float64_max_abs_difference": float((t.double() - r64[case][name]).abs().max())}
    doc[case] = entry
print(json.dumps(doc, indent=1))
