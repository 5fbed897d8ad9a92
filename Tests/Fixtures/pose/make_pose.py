"""Pose-evaluation fixture: a small synthetic odometry trajectory and noisy, mis-scaled predictions,
evaluated with the original evaluate_pose.py's own dump_xyz / compute_ate and its GT handling.
usage: python3 make_pose.py MONODEPTH2_DIR OUT_DIR   (MONODEPTH2_DIR = the original code, e.g. /tmp/MD2)"""
import sys, os, types, json
import numpy as np
sys.path.insert(0, sys.argv[1])
for name in ("datasets", "networks"):
    sys.modules[name] = types.ModuleType(name)
sys.modules["datasets"].KITTIOdomDataset = None
import evaluate_pose as E
out = sys.argv[2]
rs = np.random.RandomState(7)
F = 14                                            # ground-truth poses; 13 predictions
def rot(yaw, pitch):
    cy, sy, cp, sp = np.cos(yaw), np.sin(yaw), np.cos(pitch), np.sin(pitch)
    ry = np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]]); rx = np.array([[1, 0, 0], [0, cp, -sp], [0, sp, cp]])
    return ry @ rx
G, pos, yaw = [], np.zeros(3), 0.0
for i in range(F):
    yaw += rs.uniform(-0.05, 0.08)
    R = rot(yaw, rs.uniform(-0.01, 0.01))
    pos = pos + R @ np.array([rs.uniform(-0.05, 0.05), rs.uniform(-0.02, 0.02), 0.9 + rs.uniform(0, 0.4)])
    G.append(np.c_[R, pos])
with open(os.path.join(out, "gt_poses.txt"), "w") as f:
    for g in G:
        f.write(" ".join("%e" % v for v in g.reshape(-1)) + "\n")      # KITTI's format
# as evaluate_pose.py reads it
gt_global = np.loadtxt(os.path.join(out, "gt_poses.txt")).reshape(-1, 3, 4)
gt_global = np.concatenate((gt_global, np.zeros((gt_global.shape[0], 1, 4))), 1); gt_global[:, 3, 3] = 1
gt_local = [np.linalg.inv(np.dot(np.linalg.inv(gt_global[i - 1]), gt_global[i])) for i in range(1, len(gt_global))]
# predictions: the true local motion, scaled by 0.31 (monocular scale), with rotation/translation noise, float32
pred = []
for T in gt_local:
    P = T.copy(); P[:3, :3] = rot(rs.normal(0, 0.01), rs.normal(0, 0.01)) @ P[:3, :3]
    P[:3, 3] = 0.31 * P[:3, 3] + rs.normal(0, 0.02, 3)
    pred.append(P)
pred = np.array(pred, dtype=np.float32)
np.save(os.path.join(out, "pred_poses.npy"), pred)
ates = []
for i in range(0, F - 1):
    ates.append(E.compute_ate(np.array(E.dump_xyz(gt_local[i:i + 4])), np.array(E.dump_xyz(pred[i:i + 4]))))
json.dump({"ates": [float(a) for a in ates], "mean": float(np.mean(ates)), "std": float(np.std(ates)),
           "printed": "\n   Trajectory error: {:0.3f}, std: {:0.3f}\n".format(np.mean(ates), np.std(ates))},
          open(os.path.join(out, "expected.json"), "w"), indent=1)
print(open(os.path.join(out, "expected.json")).read())
