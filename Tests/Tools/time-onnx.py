#!/usr/bin/env python3
"""Times an exported depth.onnx with ONNX Runtime on the CPU (the README's speed table).

Usage: Tests/Tools/time-onnx.py deploy/depth.onnx [--batch 1 4] [--runs 20] [--threads 0]
Prints the median and the best of --runs timed session.run calls (after 3 warm-up calls) per batch
size, on uniform random input in [0, 1]. --threads 0 is ONNX Runtime's default (one per core).
"""
import argparse
import time

import numpy as np
import onnxruntime as ort

parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
parser.add_argument("model")
parser.add_argument("--batch", type=int, nargs="+", default=[1, 4])
parser.add_argument("--runs", type=int, default=20)
parser.add_argument("--threads", type=int, default=0)
options = parser.parse_args()
settings = ort.SessionOptions()
settings.intra_op_num_threads = options.threads
session = ort.InferenceSession(options.model, settings, providers=["CPUExecutionProvider"])
shape = session.get_inputs()[0].shape
for batch in options.batch:
    x = np.random.default_rng(0).random((batch, *shape[1:]), dtype=np.float32)
    for _ in range(3):
        session.run(None, {session.get_inputs()[0].name: x})
    times = []
    for _ in range(options.runs):
        start = time.perf_counter()
        session.run(None, {session.get_inputs()[0].name: x})
        times.append(time.perf_counter() - start)
    print(f"onnxruntime {ort.__version__} batch {batch}: median {np.median(times) * 1000:.1f} ms, "
          f"best {min(times) * 1000:.1f} ms ({np.median(times) * 1000 / batch:.1f} ms per image)")
