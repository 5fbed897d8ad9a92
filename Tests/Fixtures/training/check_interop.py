"""Loads a weights folder written by our WeightsFolders (InteropFolderTests) into the ORIGINAL
Monodepth2 networks with strict=True and its adam.pth into torch.optim.Adam, and checks the values
against the same run done in PyTorch (formula weights, two Adam steps, 0.4.1 rule, on formula
gradients; torch.optim.Adam must load our adam.pth and keep stepping).

  MD2_INTEROP_OUT=/tmp/interop swift test --filter InteropFolderTests
  /work/venv/bin/python Tests/Fixtures/training/check_interop.py /work/md2orig /tmp/interop/models/weights_0
"""
import math, os, sys
import numpy as np
import torch

orig, folder = sys.argv[1], sys.argv[2]
sys.path.insert(0, orig)
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "shared", "reference", "torch"))
import networks
import formula

def build(name):
    """A fresh original network as the trainer builds it (--pose_model_type separate_resnet)."""
    if name == "encoder":
        return networks.ResnetEncoder(18, False)
    if name == "depth":
        return networks.DepthDecoder(networks.ResnetEncoder(18, False).num_ch_enc, range(4))
    if name == "pose_encoder":
        return networks.ResnetEncoder(18, False, num_input_images=2)
    return networks.PoseDecoder(networks.ResnetEncoder(18, False).num_ch_enc, num_input_features=1,
                                num_frames_to_predict_for=2)


names = ["encoder", "depth", "pose_encoder", "pose"]
salts = {"encoder": "md2-parity", "depth": "md2-parity", "pose_encoder": "md2-pose", "pose": "md2-parity"}
models = {n: build(n) for n in names}  # loaded from our folder below

# The reference run: formula weights, two Adam steps with PyTorch 0.4.1's update (the rule the
# trainer uses, trainer.py Trainer.__init__: optim.Adam), written with torch's in-place ops as 0.4.1's Adam.step does.
ref_models = {n: formula.fill(build(n), salts[n]) for n in names}
named = [(n + ":" + k, p) for n in names for k, p in ref_models[n].named_parameters()]
ref_state = {}
with torch.no_grad():
    for t in (1, 2):
        for i, (key, p) in enumerate(named):
            if ".fc." in key:
                continue
            g = torch.from_numpy(formula.value("grad:%d" % i, tuple(p.shape), "md2-adam"))
            m, v = ref_state.setdefault(i, (torch.zeros_like(p), torch.zeros_like(p)))
            m.mul_(0.9).add_(g, alpha=1 - 0.9)
            v.mul_(0.999).addcmul_(g, g, value=1 - 0.999)
            denom = v.sqrt().add_(1e-8)
            step_size = 1e-4 * math.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t)
            p.addcdiv_(m, denom, value=-step_size)

failures = 0
for name, model in models.items():
    sd = torch.load(os.path.join(folder, name + ".pth"), weights_only=True)
    if name == "encoder":
        extras = {k: sd.pop(k) for k in ["height", "width", "use_stereo"]}
        print("encoder.pth extras:", extras)
        failures += extras != {"height": 192, "width": 640, "use_stereo": False}
    model.load_state_dict(sd, strict=True)  # raises on any missing/unexpected key or shape
    worst = 0.0
    for key, value in model.state_dict().items():
        want = ref_models[name].state_dict()[key]
        assert value.dtype == want.dtype, key
        worst = max(worst, float((value.double() - want.double()).abs().max()))
    ok = worst < 1e-7
    failures += not ok
    print("%-13s strict load OK, %3d entries, max |ours - torch| after 2 Adam steps = %.3g %s" % (
        name + ".pth", len(sd), worst, "OK" if ok else "MISMATCH"))

params = [p for n in models for p in models[n].parameters()]
adam = torch.optim.Adam(params, lr=1e-4)
adam.load_state_dict(torch.load(os.path.join(folder, "adam.pth"), weights_only=True))
with_state = [i for i, p in enumerate(params) if p in adam.state]
print("adam.pth: torch.optim.Adam.load_state_dict OK; %d params, %d with state (fc has none)" % (len(params), len(with_state)))
worst_m = worst_v = 0.0
for i, p in enumerate(params):
    if i not in with_state:
        failures += i in ref_state
        continue
    s, (m, v) = adam.state[p], ref_state[i]
    failures += int(float(s["step"])) != 2
    worst_m = max(worst_m, float(((s["exp_avg"] - m).abs() / (m.abs() + 1e-12)).max()))
    worst_v = max(worst_v, float(((s["exp_avg_sq"] - v).abs() / (v.abs() + 1e-20)).max()))
ok = worst_m < 1e-5 and worst_v < 1e-5 and len(with_state) == sum(1 for k, _ in named if ".fc." not in k)
failures += not ok
print("adam state vs the torch run: max rel diff exp_avg %.3g, exp_avg_sq %.3g %s" % (worst_m, worst_v, "OK" if ok else "MISMATCH"))
for p in params:
    p.grad = torch.ones_like(p)
adam.step()  # the loaded optimizer keeps training
print("one more torch Adam step on the loaded state: OK")
print("FAILURES:", failures)
sys.exit(1 if failures else 0)
