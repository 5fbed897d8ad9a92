"""The ORIGINAL Monodepth2 data pipeline, for side-by-side checks of `bench loader` (KITTIData).

Needs Python with torch, torchvision, numpy, pillow, and the original repository (its datasets/
folder and kitti_utils.py; --orig, default /work/md2orig). The original files are copied to a
temporary folder and imported unmodified; today's libraries need these shims, applied in memory:
- `PIL.Image.ANTIALIAS = Image.LANCZOS` (the alias was removed in Pillow 10);
- `np.int = int` (removed in NumPy 1.24; kitti_utils uses it);
- torchvision >= 0.8's `ColorJitter.get_params` returns (order, b, c, s, h) instead of a transform
  (monodepth2 #323): it is wrapped to return the transform torchvision 0.2.1 returned (the four
  adjust_* functions in that order, same parameters);
- a stub `skimage.transform.resize` that only allows the identity resize (KITTI 2011_09_26 frames and
  their LiDAR maps are 375x1242 already), when scikit-image is not installed. It costs nothing, where
  the real one copies the map: the stub can only make the original look faster.

  python Tests/Tools/loader_original.py bench --data_path D --split_file F --height 192 --width 640 \
      --batch 12 --num_workers 2 --frame_ids 0 -1 1 --use_stereo [--batches 20]
  prints {"name": "loader-original", "samples_per_s": ...} for DataLoader(shuffle=True, drop_last=True).

  python Tests/Tools/loader_original.py compare --dump DIR --data_path D --split_file F --index I \
      --flip 0|1 --jitter '[["hue", "-0.07"], ...]' (or null) [sample flags]
  builds item I with those choices forced (random.random() answers 0.9 / 0.1 for do_color_aug and
  do_flip; get_params returns the given adjustments in the given order) and compares every tensor
  with the .npy files `bench loader --dump DIR` wrote (paste the flip and jitter it printed).
"""
import argparse, json, os, shutil, sys, tempfile, time
import numpy as np

SKIMAGE_STUB = '''import numpy as np
def resize(image, output_shape, order=1, preserve_range=False, mode="constant", **kwargs):
    assert tuple(image.shape) == tuple(output_shape), "stub: only the identity resize is supported"
    return np.array(image, dtype=np.float64, copy=True)
'''


def import_original(orig):
    work = tempfile.mkdtemp()
    shutil.copytree(os.path.join(orig, "datasets"), os.path.join(work, "datasets"))
    shutil.copy(os.path.join(orig, "kitti_utils.py"), work)
    try:
        import skimage.transform  # noqa: F401
    except ImportError:
        os.makedirs(os.path.join(work, "skimage"))
        open(os.path.join(work, "skimage", "__init__.py"), "w").write("from . import transform\n")
        open(os.path.join(work, "skimage", "transform.py"), "w").write(SKIMAGE_STUB)
    sys.path.insert(0, work)
    sys.dont_write_bytecode = True
    np.int = int
    from PIL import Image
    Image.ANTIALIAS = Image.LANCZOS
    import torchvision.transforms.functional as TF
    from torchvision import transforms
    import datasets.mono_dataset as mono_dataset
    from datasets.kitti_dataset import KITTIRAWDataset, KITTIOdomDataset
    modern = transforms.ColorJitter.get_params
    adjust = {"brightness": TF.adjust_brightness, "contrast": TF.adjust_contrast,
              "saturation": TF.adjust_saturation, "hue": TF.adjust_hue}

    def as_transform(steps):
        def apply(img):
            for op, factor in steps:
                img = adjust[op](img, factor)
            return img
        return apply

    def get_params_021(brightness, contrast, saturation, hue):
        order, b, c, s, h = modern(brightness, contrast, saturation, hue)
        names = ["brightness", "contrast", "saturation", "hue"]
        values = [b, c, s, h]
        return as_transform([(names[i], values[i]) for i in order.tolist() if values[i] is not None])
    transforms.ColorJitter.get_params = staticmethod(get_params_021)
    return mono_dataset, {"kitti": KITTIRAWDataset, "kitti_odom": KITTIOdomDataset}, as_transform


def sample_flags(parser):
    parser.add_argument("--orig", default="/work/md2orig")
    parser.add_argument("--data_path", required=True)
    parser.add_argument("--split_file", required=True)
    parser.add_argument("--dataset", default="kitti", choices=["kitti", "kitti_odom"])
    parser.add_argument("--height", type=int, default=192)
    parser.add_argument("--width", type=int, default=640)
    parser.add_argument("--frame_ids", nargs="+", type=int, default=[0, -1, 1])
    parser.add_argument("--use_stereo", action="store_true")
    parser.add_argument("--png", action="store_true")
    parser.add_argument("--num_scales", type=int, default=4)


def make_dataset(args, classes):
    lines = [l for l in open(args.split_file).read().splitlines() if l.strip()]
    frame_ids = list(args.frame_ids) + (["s"] if args.use_stereo else [])
    return classes[args.dataset](args.data_path, lines, args.height, args.width, frame_ids, args.num_scales,
                                 is_train=True, img_ext=".png" if args.png else ".jpg"), frame_ids


def bench(args):
    import torch
    from torch.utils.data import DataLoader
    _, classes, _ = import_original(args.orig)
    dataset, frame_ids = make_dataset(args, classes)
    loader = DataLoader(dataset, args.batch, shuffle=True, num_workers=args.num_workers, pin_memory=False, drop_last=True)
    def batches():
        while True:
            for b in loader:
                yield b
    it = batches()
    next(it)  # warm-up: workers started, first batch built
    start = time.perf_counter()
    for _ in range(args.batches):
        next(it)
    seconds = time.perf_counter() - start
    print(json.dumps({"name": "loader-original", "samples_per_s": round(args.batches * args.batch / seconds, 2),
                      "seconds": round(seconds, 6), "batches": args.batches, "batch": args.batch,
                      "num_workers": args.num_workers, "height": args.height, "width": args.width,
                      "frame_ids": " ".join(map(str, frame_ids)), "depth_gt": bool(dataset.load_depth),
                      "torch_threads": torch.get_num_threads()}))


def compare(args):
    mono_dataset, classes, as_transform = import_original(args.orig)
    dataset, frame_ids = make_dataset(args, classes)
    jitter = json.loads(args.jitter) if args.jitter else None
    class Forced:
        values = [0.9 if jitter else 0.1, 0.9 if args.flip else 0.1]
        def random(self):
            return self.values.pop(0)
    mono_dataset.random = Forced()
    mono_dataset.transforms.ColorJitter.get_params = staticmethod(
        lambda *a: as_transform([(op, float(f)) for op, f in jitter]))
    inputs = dataset[args.index]
    worst, failures = 0.0, 0
    for key, value in inputs.items():
        if isinstance(key, tuple):
            name = "_".join(str(k) for k in key)
        else:
            name = key
        path = os.path.join(args.dump, name + ".npy")
        ours = np.load(path)[0]
        theirs = value.numpy()
        same = ours.shape == theirs.shape and np.array_equal(ours.view(np.uint32), theirs.astype(np.float32).view(np.uint32))
        diff = float(np.abs(ours.astype(np.float64) - theirs).max()) if ours.shape == theirs.shape else float("inf")
        worst = max(worst, diff)
        failures += 0 if same else 1
        print(f"{name:16s} {'identical' if same else 'DIFFERS'}  max|diff| {diff:.3g}")
    print(json.dumps({"tensors": len(inputs), "differing": failures, "max_abs_diff": worst}))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("bench"); sample_flags(b)
    b.add_argument("--batch", type=int, default=12); b.add_argument("--num_workers", type=int, default=2)
    b.add_argument("--batches", type=int, default=20)
    c = sub.add_parser("compare"); sample_flags(c)
    c.add_argument("--dump", required=True); c.add_argument("--index", type=int, default=0)
    c.add_argument("--flip", type=int, choices=[0, 1], required=True); c.add_argument("--jitter", default=None)
    args = parser.parse_args()
    bench(args) if args.command == "bench" else compare(args)


if __name__ == "__main__":
    main()
