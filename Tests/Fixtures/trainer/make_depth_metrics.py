"""The original trainer's batch-level depth metrics (trainer.py `compute_depth_losses`, layers
`compute_depth_errors`) on procedurally defined inputs that TrainerDepthMetricsTests rebuilds.
Run: /work/venv/bin/python make_depth_metrics.py /work/md2orig  (writes depth_metrics.json)
"""
import json, sys, types, urllib
sys.path.insert(0, sys.argv[1])
sys.modules["tensorboardX"] = types.SimpleNamespace(SummaryWriter=None)
sys.modules["six"] = types.SimpleNamespace()
sys.modules["six.moves"] = types.SimpleNamespace(urllib=urllib)
sys.modules["skimage"] = types.SimpleNamespace(transform=None)
sys.modules["skimage.transform"] = types.SimpleNamespace()
sys.modules["IPython"] = types.SimpleNamespace(embed=None)
import torch
import trainer as original

def gt_value(b, y, x):
    h = (y * 1242 + x) * 7919 + b * 13
    return 1.0 + ((y * 31 + x * 17 + b) % 800) / 10.0 if h % 97 == 0 else 0.0

def pred_value(b, y, x, scale):
    return (0.5 + ((y * 20 + x) * 37 % 23) / 2.3 + b) * scale

cases = []
for name, batch, h, w, scale in [("b2_6x20", 2, 6, 20, 1.0), ("b3_8x16", 3, 8, 16, 3.7)]:
    gt = torch.zeros(batch, 1, 375, 1242)
    ys = torch.arange(375).view(375, 1).double()
    xs = torch.arange(1242).view(1, 1242).double()
    for b in range(batch):
        hsh = ((ys * 1242 + xs) * 7919 + b * 13) % 97 == 0
        val = 1.0 + torch.remainder(ys * 31 + xs * 17 + b, 800) / 10.0
        gt[b, 0] = torch.where(hsh, val, torch.zeros_like(val)).float()
    pred = torch.tensor([[[[pred_value(b, y, x, scale) for x in range(w)] for y in range(h)]] for b in range(batch)],
                        dtype=torch.float32)
    stub = types.SimpleNamespace(depth_metric_names=["de/abs_rel", "de/sq_rel", "de/rms", "de/log_rms", "da/a1", "da/a2", "da/a3"])
    losses = {}
    original.Trainer.compute_depth_losses(stub, {"depth_gt": gt}, {("depth", 0, 0): pred}, losses)
    cases.append({"name": name, "batch": batch, "height": h, "width": w, "scale": scale,
                  "metrics": {k: float(v) for k, v in losses.items()}})
    print(name, cases[-1]["metrics"])
json.dump({"cases": cases}, open("depth_metrics.json", "w"), indent=1)
