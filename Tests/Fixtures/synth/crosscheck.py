"""Cross-checks a synth-kitti world against the ORIGINAL Monodepth2 code (report figures, not a test).

    python crosscheck.py WORLD [--original /work/md2orig] [--stride 10]

1. Runs the original export_gt_depth.py on the world's test split (copied into a temporary copy of
   the original as splits/eigen/test_files.txt, since the original reads its lists relative to its
   own file) and compares its gt_depths.npz with WORLD/splits/synthetic/gt_depths.npz.
2. Projects every `stride`-th scan with the original kitti_utils.generate_depth_map (camera 2,
   camera z-depth) and the written calibration and compares with depth_true_02.
3. Warps image_03 by the true disparity 0.54 * fx / depth and compares with image_02.
Patches to the copy, for current libraries only: np.int -> int, and a `six` shim if six is missing.
"""
import argparse, glob, os, shutil, subprocess, sys, tempfile
import numpy as np
from PIL import Image

parser = argparse.ArgumentParser()
parser.add_argument("world")
parser.add_argument("--original", default="/work/md2orig")
parser.add_argument("--stride", type=int, default=10)
args = parser.parse_args()
world = os.path.abspath(args.world)

copy = os.path.join(tempfile.mkdtemp(), "md2")
shutil.copytree(args.original, copy, ignore=shutil.ignore_patterns("*.npz", "assets", "*.jpg", "*.png"))
utils = os.path.join(copy, "kitti_utils.py")
source = open(utils).read()
open(utils, "w").write(source.replace("astype(np.int)", "astype(int)"))
try:
    import six  # noqa: F401
except ImportError:
    os.makedirs(os.path.join(copy, "six"))
    open(os.path.join(copy, "six", "__init__.py"), "w").close()
    open(os.path.join(copy, "six", "moves.py"), "w").write("import urllib\nimport urllib.request\n")
shutil.copy(os.path.join(world, "splits/synthetic/test_files.txt"), os.path.join(copy, "splits/eigen/test_files.txt"))
subprocess.run([sys.executable, "export_gt_depth.py", "--data_path", world, "--split", "eigen"], cwd=copy, check=True)
theirs = np.load(os.path.join(copy, "splits/eigen/gt_depths.npz"), allow_pickle=True)["data"]
ours = np.load(os.path.join(world, "splits/synthetic/gt_depths.npz"), allow_pickle=True)["data"]
print(f"export_gt_depth.py: {theirs.shape} {theirs.dtype}; ours {ours.shape} {ours.dtype}; "
      f"identical: {theirs.shape == ours.shape and np.array_equal(theirs, ours)}")

sys.path.insert(0, copy)
from kitti_utils import generate_depth_map  # noqa: E402

rel, rel_shift, warped_err, unwarped_err = [], [], [], []
date = glob.glob(os.path.join(world, "*_*_*"))[0]
for drive in sorted(glob.glob(os.path.join(date, "*_sync"))):
    for velo in sorted(glob.glob(os.path.join(drive, "velodyne_points/data/*.bin")))[::args.stride]:
        name = os.path.basename(velo)[:-4]
        gt = generate_depth_map(date, velo, 2, False)  # camera z-depth (vel_depth=False)
        true = np.load(os.path.join(drive, "depth_true_02/data", name + ".npy"))
        m = gt > 0
        for out, t in ((rel, true), (rel_shift, np.pad(true[1:, 1:], ((0, 1), (0, 1))))):
            r = np.abs(gt[m] - t[m]) / np.maximum(t[m], 1e-6)
            r[t[m] == 0] = np.inf
            out.append(r)
        left = np.asarray(Image.open(os.path.join(drive, "image_02/data", name + ".jpg")), np.float64)
        right = np.asarray(Image.open(os.path.join(drive, "image_03/data", name + ".jpg")), np.float64)
        h, w = true.shape
        disparity = np.where(true > 0, 0.54 * 0.58 * w / np.maximum(true, 1e-6), 0)
        xs = np.arange(w)[None, :] - disparity
        valid = (xs >= 0) & (xs <= w - 1)
        x0 = np.clip(np.floor(xs).astype(int), 0, w - 2)
        a = (xs - x0)[..., None]
        rows = np.repeat(np.arange(h)[:, None], w, 1)
        warped = right[rows, x0] * (1 - a) + right[rows, x0 + 1] * a
        warped_err.append(np.abs(warped - left)[valid].mean())
        unwarped_err.append(np.abs(right - left)[valid].mean())
r, r1 = np.concatenate(rel), np.concatenate(rel_shift)
print(f"lidar -> true depth over {len(warped_err)} frames, {r.size} points: median relative error "
      f"{100 * np.median(r):.3f}% (original indexing, round(u) - 1), {100 * np.median(r1):.3f}% (the -1 undone)")
print(f"stereo: mean |image_02 - warped image_03| = {np.mean(warped_err):.2f}, unwarped {np.mean(unwarped_err):.2f} (0-255)")
