#!/usr/bin/env python3
"""Per-array float32-vs-float64 noise floors of the 12 selected gradients of ../shared/reference/torch/loss
(grads/ = the mono+stereo step, grads_smooth/ = the same step with --disable_automasking --avg_reprojection),
from the ORIGINAL trainer.py through the fixtures' own harness (make_fixtures.py, imported from there).

For each folder the step runs twice: in float32 (which must reproduce the stored .npy files bit for bit, or the
script stops: the harness is the fixtures') and in float64 (same float32 inputs and weights, widened exactly).
Per array it prints rel-to-max = max|f32 - f64| / max|f64| and rel L2 = ||f32 - f64|| / ||f64||, the numbers
StepParityTests.swift derives its per-array tolerances from (see the table there). They equal the
`selected_grads_*` floors losses.json records (which use the same definitions).

With --save-f64 DIR it also writes the float64 gradients (as float64 .npy) under DIR/grads and DIR/grads_smooth,
to measure how far our own float32 gradients are from float64 (not stored in the repository).

Run:  VENV/bin/python make_grad_floors.py --md2 MD2 --shared ../../../../shared > grad_floors.json
(VENV and MD2 as in ../shared/reference/torch/README.md: torch 2.x CPU, the monodepth2==1.0.0 wheel unzipped.)
"""
import argparse, collections, json, os, sys, types

import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("--md2", required=True)
ap.add_argument("--shared", required=True)
ap.add_argument("--save-f64", default=None)
a = ap.parse_args()
TORCH_REF = os.path.join(os.path.abspath(a.shared), "reference", "torch")
sys.path.insert(0, TORCH_REF)
import make_fixtures as mf  # noqa: E402

mf.setup(a.md2)
if "six" not in sys.modules:  # utils.py imports six.moves.urllib (model download only; unused here)
    six = types.ModuleType("six"); six.moves = types.ModuleType("six.moves"); six.moves.urllib = None
    sys.modules["six"] = six; sys.modules["six.moves"] = six.moves
torch = mf.torch


def load_inputs():
    """loss/inputs as make_fixtures.make_inputs built them (color_aug == color)."""
    d = os.path.join(TORCH_REF, "loss", "inputs")
    inputs = {}
    for f in ("0", "-1", "1", "s"):
        k = f if f == "s" else int(f)
        for s in range(4):
            t = torch.from_numpy(np.load(os.path.join(d, "color_%s_%d.npy" % (f, s))))
            inputs[("color", k, s)] = t
            inputs[("color_aug", k, s)] = t.clone()
    for s in range(4):
        inputs[("K", s)] = torch.from_numpy(np.load(os.path.join(d, "K_%d.npy" % s)))
        inputs[("inv_K", s)] = torch.from_numpy(np.load(os.path.join(d, "inv_K_%d.npy" % s)))
    inputs["stereo_T"] = torch.from_numpy(np.load(os.path.join(d, "stereo_T.npy")))
    return inputs


T = mf.load_trainer(a.md2)
inputs = load_inputs()
doc = collections.OrderedDict([
    ("generated_by", "Tests/Fixtures/training/make_grad_floors.py (original trainer.py via make_fixtures.py, torch %s, "
                     "2 threads)" % torch.__version__),
    ("definition", "per array: rel_to_max = max|f32 - f64| / max|f64|, rel_l2 = ||f32 - f64|| / ||f64||")])
for folder, argv in (("grads", mf.VARIANTS["mono+stereo"]), ("grads_smooth", mf.SMOOTH_ARGV)):
    tr32, _, _ = mf.run_step(T, list(argv), inputs, "md2-parity")
    tr64, _, _ = mf.run_step(T, list(argv), inputs, "md2-parity", dtype="float64")
    p32 = {n: dict(m.named_parameters()) for n, m in tr32.models.items()}
    p64 = {n: dict(m.named_parameters()) for n, m in tr64.models.items()}
    rec = collections.OrderedDict()
    for net, keys in mf.SELECTED.items():
        for key in keys:
            g32 = p32[net][key].grad.detach().numpy()
            g64 = p64[net][key].grad.detach().numpy()
            stored = np.load(os.path.join(TORCH_REF, "loss", folder, "%s__%s.npy" % (net, key)))
            rec["%s__%s" % (net, key)] = collections.OrderedDict([
                ("fixture_vs_f64", {"rel_to_max": mf.maxrel(stored, g64), "rel_l2": mf.rel_l2(stored, g64)}),
                ("rerun_f32_vs_f64", {"rel_to_max": mf.maxrel(g32, g64), "rel_l2": mf.rel_l2(g32, g64)}),
                ("rerun_f32_vs_fixture", {"rel_to_max": mf.maxrel(g32, stored), "rel_l2": mf.rel_l2(g32, stored)})])
            if a.save_f64:
                path = os.path.join(a.save_f64, folder, "%s__%s.npy" % (net, key))
                os.makedirs(os.path.dirname(path), exist_ok=True)
                np.save(path, g64.astype(np.float64))
    doc[folder] = rec
print(json.dumps(doc, indent=1))
