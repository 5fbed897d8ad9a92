"""Makes the small OpenCV resize cases beside this file (porting aid; the project never runs Python).
Run: python3 make_cv2_cases.py   (OpenCV 5.0.0, NumPy 2.4)
`cv2_in_20x16.npy`: float32 16x20 (HxW), uniform [0, 10) from numpy's default_rng(11);
`cv2_linear_WxH.npy` = cv2.resize(input, (W, H)) with the default INTER_LINEAR."""
import os
import cv2
import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
x = (np.random.default_rng(11).random((16, 20)) * 10).astype(np.float32)
np.save(os.path.join(here, "cv2_in_20x16.npy"), x)
# exact 2x shrink on both axes, odd shrink, upsample, 1x1, width kept with height shrunk
for (w, h) in [(10, 8), (7, 5), (31, 23), (1, 1), (20, 3)]:
    np.save(os.path.join(here, f"cv2_linear_{w}x{h}.npy"), cv2.resize(x, (w, h)))
