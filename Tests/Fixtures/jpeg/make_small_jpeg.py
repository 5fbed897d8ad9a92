"""Small JPEG decode fixtures for ImageIOTests (JPEGSmallFixtureTests).

Each NAME.jpg is written by Pillow 13 (libjpeg-turbo 3.2) or OpenCV 5 (cv2.imwrite, for sampling
factors Pillow cannot write); NAME.npy = np.asarray(PIL.Image.open(NAME.jpg)), the expected decode.
Content: a smooth gradient plus seeded noise, so every block has AC energy.
Run from this folder: python3 make_small_jpeg.py
"""
import numpy as np, cv2
from PIL import Image

rng = np.random.default_rng(7)

def content(w, h, channels=3):
    y, x = np.mgrid[0:h, 0:w]
    base = np.stack([40 + 5 * x, 60 + 7 * y, 200 - 3 * x - 2 * y], -1)[:, :, :channels]
    return np.clip(base + rng.normal(0, 25, base.shape), 0, 255).astype(np.uint8)

def pil(name, w, h, channels=3, **kw):
    arr = content(w, h, channels)
    Image.fromarray(arr[:, :, 0] if channels == 1 else arr).save(name + ".jpg", "JPEG", **kw)
    np.save(name + ".npy", np.asarray(Image.open(name + ".jpg")))

def ocv(name, w, h, **params):
    flat = []
    for k, v in params.items():
        flat += [getattr(cv2, k), v]
    cv2.imwrite(name + ".jpg", content(w, h)[:, :, ::-1], flat)
    np.save(name + ".npy", np.asarray(Image.open(name + ".jpg")))

# 4:2:0 at sizes where the chroma is 1 or 2 samples wide (plain replication, no fancy filter),
# 3 wide (fancy, scalar tail only) and 17 wide (SIMD body plus tail).
for w, h in [(1, 1), (2, 3), (3, 5), (5, 2), (33, 17)]:
    pil(f"s420_{w}x{h}", w, h, quality=90, subsampling=2)
pil("s422_33x17", 33, 17, quality=90, subsampling=1)
pil("s444_33x17", 33, 17, quality=90, subsampling=0)
pil("grey_progressive_13x9", 13, 9, channels=1, quality=90, progressive=True)
pil("progressive_optimized_41x23", 41, 23, quality=97, subsampling=2, progressive=True, optimize=True)
pil("restart_every_mcu_33x17", 33, 17, quality=90, subsampling=2, restart_marker_blocks=1)
pil("optimized_huffman_33x17", 33, 17, quality=100, subsampling=0, optimize=True)
ocv("s411_37x11", 37, 11, IMWRITE_JPEG_QUALITY=90, IMWRITE_JPEG_SAMPLING_FACTOR=cv2.IMWRITE_JPEG_SAMPLING_FACTOR_411)
ocv("s440_19x21", 19, 21, IMWRITE_JPEG_QUALITY=90, IMWRITE_JPEG_SAMPLING_FACTOR=cv2.IMWRITE_JPEG_SAMPLING_FACTOR_440)
ocv("progressive_restart_29x19", 29, 19, IMWRITE_JPEG_QUALITY=85, IMWRITE_JPEG_PROGRESSIVE=1, IMWRITE_JPEG_RST_INTERVAL=2)
for n in ["s411_37x11", "s440_19x21", "progressive_restart_29x19", "restart_every_mcu_33x17"]:
    print(n, Image.open(n + ".jpg").layer, Image.open(n + ".jpg").info.get("progressive"))
