"""NumPy's np.linalg.pinv of 4x4 float32 camera matrices, for PseudoInverseTests.

usage: python make_pinv_fixture.py [--out Tests/Fixtures/kitti_samples/pinv_cases.json] [--seed 2024]

Writes a JSON list of cases, each {"name", "group", "K", "inv_K"} with K and np.linalg.pinv(K) as
float32 bit patterns (8 hex digits, row-major), plus the NumPy version, the OpenBLAS build and the
core type it ran with. Groups:
- "kitti": KITTI's normalised K (datasets/kitti_dataset.py) scaled like mono_dataset.py does,
  K[0, :] *= width // 2**s; K[1, :] *= height // 2**s in float32, for the training sizes
  640x192, 192x64, 1024x320, 1280x384, 416x128, 832x256 at scales 0..3;
- "camera": random realistic pinhole cameras (fx, fy in [50, 2000], cx, cy in [0, 2000], an image of
  W x H pixels, a third of them with a skew in [-5, 5]) normalised like the folder dataset
  (float32(fx / W) ...) and scaled to one of the training sizes at a random scale;
- "generic": dense random 4x4 matrices (standard normal times 10^k, k in -3..3), full rank.

NumPy computes the SVD in float64 (dgesdd) and the rest in float32 with OpenBLAS kernels chosen at run
time: run it on an AVX2+FMA x86-64 machine with the default core type (what the committed file used;
OPENBLAS_CORETYPE=Haswell gives the same bits for these cases, Sandybridge does not).
"""
import argparse, ctypes, glob, json, os

import numpy as np

SIZES = [(640, 192), (192, 64), (1024, 320), (1280, 384), (416, 128), (832, 256)]
KITTI_K = [[0.58, 0, 0.5, 0], [0, 1.92, 0.5, 0], [0, 0, 1, 0], [0, 0, 0, 1]]


def bits(a):
    return ["%08x" % v for v in np.ascontiguousarray(a, dtype=np.float32).ravel().view(np.uint32)]


def scaled(normalized, width, height, scale):
    k = np.array(normalized, dtype=np.float32)
    k[0, :] *= width // (2 ** scale)
    k[1, :] *= height // (2 ** scale)
    return k


def openblas_info():
    """The OpenBLAS build string and the core it picked (None if the symbols are not found)."""
    libs = glob.glob(os.path.join(os.path.dirname(np.__file__), os.pardir, "numpy.libs", "libscipy_openblas*.so"))
    for path in libs:
        lib = ctypes.CDLL(path)
        for prefix in ("scipy_openblas", "openblas"):
            for suffix in ("64_", ""):
                try:
                    config = getattr(lib, "%s_get_config%s" % (prefix, suffix))
                    corename = getattr(lib, "%s_get_corename%s" % (prefix, suffix))
                except AttributeError:
                    continue
                config.restype = corename.restype = ctypes.c_char_p
                return config().decode(), corename().decode()
    return None, None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--out", default=os.path.join(here, os.pardir, "Fixtures", "kitti_samples", "pinv_cases.json"))
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)

    cases = []

    def add(group, name, k):
        k = np.asarray(k, dtype=np.float32)
        cases.append({"name": name, "group": group, "K": bits(k), "inv_K": bits(np.linalg.pinv(k))})

    for width, height in SIZES:
        for s in range(4):
            add("kitti", "kitti_%dx%d_s%d" % (width, height, s), scaled(KITTI_K, width, height, s))

    for i in range(200):
        image_w, image_h = int(rng.integers(320, 4000)), int(rng.integers(240, 3000))
        fx, fy = rng.uniform(50, 2000, size=2)
        cx, cy = rng.uniform(0, 2000, size=2)
        skew = float(rng.uniform(-5, 5)) if i % 3 == 0 else 0.0
        normalized = np.array([[fx / image_w, skew / image_w, cx / image_w, 0],
                               [0, fy / image_h, cy / image_h, 0],
                               [0, 0, 1, 0], [0, 0, 0, 1]]).astype(np.float32)
        width, height = SIZES[int(rng.integers(len(SIZES)))]
        s = int(rng.integers(4))
        add("camera", "camera_%03d%s_%dx%d_s%d" % (i, "_skew" if skew else "", width, height, s),
            scaled(normalized, width, height, s))

    for i in range(50):
        k = rng.standard_normal((4, 4)) * 10.0 ** int(rng.integers(-3, 4))
        add("generic", "generic_%02d" % i, k)

    config, corename = openblas_info()
    out = {
        "numpy_version": np.__version__,
        "openblas_config": config,
        "openblas_corename": corename,
        "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE", "default"),
        "cases": cases,
    }
    with open(args.out, "w") as f:  # one case per line
        header = json.dumps({k: v for k, v in out.items() if k != "cases"}, indent=1)[:-2]
        f.write(header + ',\n "cases": [\n')
        f.write(",\n".join("  " + json.dumps(case) for case in cases))
        f.write("\n ]\n}\n")
    print("wrote %d cases to %s (NumPy %s, %s, core %s)" % (len(cases), args.out, np.__version__, config, corename))


if __name__ == "__main__":
    main()
