"""Makes the small Pillow resize cases beside this file (porting aid; the project never runs Python).
Run: python3 make_resize_cases.py SHARED_REFERENCE_DIR   (Pillow 13.0.0, NumPy 2.4)
Inputs: `rgb_61x47.npy` (a 61x47 crop of io/resize/source.npy with every 7th pixel replaced by noise, so the
intermediate clipping is exercised) and `gray_61x47.npy` (its Pillow "L" conversion). Outputs:
`{rgb,gray}_{lanczos,bilinear}_WxH.npy` = np.asarray(Image.fromarray(input).resize((W, H), filter))."""
import os, sys
import numpy as np
from PIL import Image

here = os.path.dirname(os.path.abspath(__file__))
source = np.load(os.path.join(sys.argv[1], "io", "resize", "source.npy"))
rgb = source[100:147, 300:361].copy()
noise = np.random.default_rng(7).integers(0, 256, rgb.shape, dtype=np.uint8)
flat = rgb.reshape(-1, 3)
flat[::7] = noise.reshape(-1, 3)[::7]
gray = np.asarray(Image.fromarray(rgb).convert("L"))
np.save(os.path.join(here, "rgb_61x47.npy"), rgb)
np.save(os.path.join(here, "gray_61x47.npy"), gray)
cases = {
    # (W, H): both shrink (horizontal first), width grows while height shrinks (vertical first), both shrink
    # with the height losing > 2x the width's pixels (vertical first), height only, width only, 1x1,
    # both grow, a 2x-shrink in height with a 1-pixel width loss, 37 rows vs 16 columns lost (vertical first), and
    # the tie 20 rows vs 10 columns (horizontal first).
    "lanczos": [(30, 20), (70, 20), (50, 10), (61, 20), (20, 47), (1, 1), (130, 90), (60, 23), (45, 10), (51, 27)],
    "bilinear": [(30, 20), (70, 20), (50, 10), (1, 5), (130, 90)],
}
filters = {"lanczos": Image.LANCZOS, "bilinear": Image.BILINEAR}
for name, array in (("rgb", rgb), ("gray", gray)):
    for filter_name, sizes in cases.items():
        for (w, h) in sizes:
            out = np.asarray(Image.fromarray(array).resize((w, h), filters[filter_name]))
            np.save(os.path.join(here, f"{name}_{filter_name}_{w}x{h}.npy"), out)
