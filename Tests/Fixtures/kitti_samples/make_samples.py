"""Expected KITTI training samples from the ORIGINAL Monodepth2 dataset code, for KITTISampleParityTests.

usage: python make_samples.py [--orig /work/md2orig] [--shared ../shared] [--out DIR] [--full FULLDIR]

Runs datasets.kitti_dataset.KITTIRAWDataset (a copy of the original datasets/ folder and kitti_utils.py,
unmodified, under a temporary folder) on the fixture drive ../shared/reference/kitti/raw (made by
make_kitti.py: 3 frames, both cameras, velodyne scans; 1242x375 JPEGs) with the random choices FORCED:
- `random.random()` inside mono_dataset is replaced by a stub that returns 0.9 (> 0.5: yes) or 0.1 (no),
  first for do_color_aug, then for do_flip, exactly in the order __getitem__ draws them;
- `transforms.ColorJitter.get_params` is replaced (after the dataset is built) by a function returning
  one transform that applies the case's adjustments, in the case's order, with
  torchvision.transforms.functional.adjust_{brightness,contrast,saturation,hue} -- what torchvision
  0.2.1's get_params returned (a Compose of those Lambdas in shuffled order);
- `Image.ANTIALIAS = Image.LANCZOS` (removed in Pillow 10; the original's alias) and `np.int = int`
  (removed in NumPy 1.24; kitti_utils.generate_depth_map uses it);
- `skimage` is not installed in the reference venv: a stub `skimage.transform.resize` is put first on the
  path. It only accepts the identity resize (the fixture drive's LiDAR map is already 375x1242, so
  skimage's order-0 resize would return the map unchanged) and returns a float64 copy.
Environment of the committed outputs: Python 3.11, torch 2.15.0, torchvision 0.29.2, Pillow 13.0.0,
NumPy 2.4.6.

Writes, per case, OUT/<case>/meta.json (configuration, choices, the FNV-1a 64 hash of the float32
little-endian bytes of every tensor of the sample, K / inv_K / stereo_T as float32 bit patterns,
depth_gt statistics; jitter factors as repr strings) and, for the small cases, OUT/<case>/images.npy: uint8, every color and
color_aug tensor times 255 (exact: ToTensor is byte / 255), concatenated in frame-id order, scale
0..3, color before color_aug. With --full, also FULLDIR/<case>/<key>.npy float32 files named like
reference/torch/loss/inputs (color_{f}_{s}, color_aug_{f}_{s}, K_{s}, inv_K_{s}, stereo_T, depth_gt),
without the batch dimension, to compare with `bench loader --dump`.
"""
import argparse, json, os, shutil, sys, tempfile
import numpy as np

CASES = [
    # name, split line, height, width, frame ids, flip, jitter (adjustments in order) or None, bundle images
    ("l1_plain", "2011_09_26/2011_09_26_drive_0001_sync 1 l", 32, 96, [0, -1, 1, "s"], False, None, True),
    ("r1_flip_jitter", "2011_09_26/2011_09_26_drive_0001_sync 1 r", 32, 96, [0, -1, 1, "s"], True,
     [("hue", -0.0734), ("contrast", 1.1734), ("brightness", 0.8612), ("saturation", 1.0421)], True),
    ("l0_start_flip", "2011_09_26/2011_09_26_drive_0001_sync 0 l", 32, 96, [0, 1, "s"], True, None, True),
    ("r2_jitter", "2011_09_26/2011_09_26_drive_0001_sync 2 r", 32, 128, [0, -1, "s"], False,
     [("saturation", 0.8123), ("brightness", 1.1987), ("hue", 0.0931), ("contrast", 0.8311)], True),
    ("l1_640x192_flip_jitter", "2011_09_26/2011_09_26_drive_0001_sync 1 l", 192, 640, [0, -1, 1, "s"], True,
     [("brightness", 1.0712), ("saturation", 1.1502), ("contrast", 0.9133), ("hue", -0.0415)], False),
]

SKIMAGE_STUB = '''import numpy as np
def resize(image, output_shape, order=1, preserve_range=False, mode="constant", **kwargs):
    assert tuple(image.shape) == tuple(output_shape), "stub: only the identity resize is supported"
    return np.array(image, dtype=np.float64, copy=True)
'''


def fnv1a64(array):
    h = 0xcbf29ce484222325
    for b in np.ascontiguousarray(array, dtype="<f4").tobytes():
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return "%016x" % h


def bits(array):
    return ["%08x" % v for v in np.ascontiguousarray(array, dtype="<f4").view("<u4").ravel()]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser()
    parser.add_argument("--orig", default="/work/md2orig")
    parser.add_argument("--shared", default=os.path.join(here, "../../../../shared"))
    parser.add_argument("--out", default=here)
    parser.add_argument("--full", default=None)
    args = parser.parse_args()

    work = tempfile.mkdtemp()
    shutil.copytree(os.path.join(args.orig, "datasets"), os.path.join(work, "datasets"))
    shutil.copy(os.path.join(args.orig, "kitti_utils.py"), work)
    os.makedirs(os.path.join(work, "skimage"))
    open(os.path.join(work, "skimage", "__init__.py"), "w").write("from . import transform\n")
    open(os.path.join(work, "skimage", "transform.py"), "w").write(SKIMAGE_STUB)
    sys.path.insert(0, work)
    sys.dont_write_bytecode = True

    np.int = int
    from PIL import Image
    Image.ANTIALIAS = Image.LANCZOS
    import torchvision.transforms.functional as TF
    import datasets.mono_dataset as mono_dataset
    from datasets.kitti_dataset import KITTIRAWDataset

    class ForcedRandom:
        values = []
        def random(self):
            return self.values.pop(0)
    forced = ForcedRandom()
    mono_dataset.random = forced
    adjust = {"brightness": TF.adjust_brightness, "contrast": TF.adjust_contrast,
              "saturation": TF.adjust_saturation, "hue": TF.adjust_hue}

    data_path = os.path.join(args.shared, "reference", "kitti", "raw")
    for name, line, height, width, frame_ids, flip, jitter, bundle in CASES:
        dataset = KITTIRAWDataset(data_path, [line], height, width, frame_ids, 4, is_train=True, img_ext=".jpg")
        def get_params(*_unused, jitter=jitter):
            def apply(img):
                for op, factor in jitter:
                    img = adjust[op](img, factor)
                return img
            return apply
        mono_dataset.transforms.ColorJitter.get_params = get_params
        forced.values = [0.9 if jitter else 0.1, 0.9 if flip else 0.1]
        inputs = dataset[0]
        assert not forced.values, "the dataset drew a different number of random numbers"

        tensors, images = {}, []
        for f in frame_ids:
            for s in range(4):
                for kind in ("color", "color_aug"):
                    t = inputs[(kind, f, s)].numpy()
                    tensors["%s_%s_%d" % (kind, f, s)] = t
                    u8 = np.round(t * 255).astype(np.uint8)
                    assert np.array_equal(u8.astype(np.float32) / np.float32(255), t)
                    images.append(u8.ravel())
        for s in range(4):
            tensors["K_%d" % s] = inputs[("K", s)].numpy()
            tensors["inv_K_%d" % s] = inputs[("inv_K", s)].numpy()
        tensors["stereo_T"] = inputs["stereo_T"].numpy()
        tensors["depth_gt"] = inputs["depth_gt"].numpy()

        folder = os.path.join(args.out, name)
        os.makedirs(folder, exist_ok=True)
        depth = tensors["depth_gt"]
        meta = {"line": line, "height": height, "width": width, "frame_ids": [str(f) for f in frame_ids],
                "flip": flip, "jitter": [[op, repr(f)] for op, f in jitter] if jitter else None,
                "hashes": {k: fnv1a64(v) for k, v in tensors.items()},
                "shapes": {k: list(v.shape) for k, v in tensors.items()},
                "bits": {k: bits(v) for k, v in tensors.items() if k.startswith(("K_", "inv_K_", "stereo_T"))},
                "depth_gt_nonzero": int((depth > 0).sum()), "depth_gt_sum": float(depth.astype(np.float64).sum())}
        json.dump(meta, open(os.path.join(folder, "meta.json"), "w"), indent=1)
        if bundle:
            np.save(os.path.join(folder, "images.npy"), np.concatenate(images))
        if args.full:
            full = os.path.join(args.full, name)
            os.makedirs(full, exist_ok=True)
            for k, v in tensors.items():
                np.save(os.path.join(full, k + ".npy"), v)
        print(name, "ok", {k: v.shape for k, v in tensors.items() if k.startswith("color_0")})
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
