#!/usr/bin/env python3
"""Checks `export-onnx` against the real ONNX runtime (optional CI step; the project itself needs no Python).

For each weights folder below, runs the built `export-onnx` (with --parity_input / --parity_pose_input,
so our own forward writes its outputs on the same inputs as .npy), then:
  - onnx.checker.check_model(full_check=True) on depth.onnx and pose.onnx;
  - ONNX Runtime (CPU) against our forward: disparity within 1e-5 absolute on 5 images (the real KITTI
    frame and the Monodepth2 test image from ../shared/reference, 3 synthetic frames), pose (axisangle,
    translation, the 4x4 transformation) within 1e-5 on 4 frame pairs (and every output within 1e-4 of
    its largest value); ONNX Runtime at batch 1 (each
    image alone) and batch 4, our forward once on the whole stack;
  - `evaluate --ext_disp_to_eval` on ONNX Runtime's disparities of the synthetic world's test split
    gives the abs_rel (3 decimals) of `evaluate --load_weights_folder` on the same folder.

Weights folders: the official-format 640x192 checkpoint layout of ../shared/reference/torch/checkpoints
(ResNet-18, depth only: its pose.pth has no pose_encoder.pth beside it), and folders written by `train`
(1 epoch of 2 steps at 192x64 on a synthetic world from `synth-kitti`): ResNet-18 and ResNet-50 with
separate_resnet pose, ResNet-18 with posecnn and with shared pose.

Usage: Tests/Tools/check-onnx.py [--bin .build/release] [--shared ../shared] [--work DIR]
Needs: numpy, onnx, onnxruntime, pillow. Without ../shared the official-format checks are skipped
(an error under MD2_REQUIRE_FIXTURES=1, as in CI). Exit status 1 on any failure.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx
import onnxruntime as ort
from PIL import Image

TOLERANCE = 1e-5
RELATIVE_TOLERANCE = 1e-4
ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
failures = []


def run(tool, *args, cwd=None):
    command = [os.path.join(BIN, tool)] + [str(a) for a in args]
    done = subprocess.run(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if done.returncode != 0:
        sys.exit(f"check-onnx: {' '.join(command)} failed ({done.returncode}):\n{done.stdout[-3000:]}")
    return done.stdout


def check(condition, message):
    print(("   ok   " if condition else "   FAIL ") + message)
    if not condition:
        failures.append(message)


def load_rgb(path, width, height):
    """RGB in [0, 1], (3, H, W) float32, LANCZOS-resized (Pillow, as the original's loader) when needed."""
    image = Image.open(path).convert("RGB")
    if image.size != (width, height):
        image = image.resize((width, height), Image.LANCZOS)
    return (np.asarray(image, dtype=np.float32) / 255.0).transpose(2, 0, 1).copy()


def session(path):
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    check(True, f"onnx.checker full_check {os.path.relpath(path, WORK)} (opset {model.opset_import[0].version}, "
          f"{len(model.graph.node)} nodes)")
    options = ort.SessionOptions()
    options.log_severity_level = 3
    return model, ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def compare(name, sess, feed_name, inputs, ours_by_output, label):
    """ONNX Runtime at batch 1 (each item) and batch 4 against our outputs on the whole stack."""
    worst, magnitude = {}, {}
    for batch, items in (("1", [[i] for i in range(len(inputs))]), ("4", [list(range(4))])):
        for index in items:
            outputs = sess.run(None, {feed_name: inputs[index]})
            for meta, got in zip(sess.get_outputs(), outputs):
                ours = ours_by_output[meta.name][index]
                if got.shape != ours.shape:
                    check(False, f"{label} {meta.name} batch {batch}: shape {got.shape} vs ours {ours.shape}")
                    continue
                key = (meta.name, batch)
                worst[key] = max(worst.get(key, 0.0), float(np.abs(got - ours).max()))
                magnitude[meta.name] = max(magnitude.get(meta.name, 0.0), float(np.abs(ours).max()))
    for (output, batch), diff in sorted(worst.items()):
        # Absolute 1e-5 (the acceptance figure), and relative to the output's largest value (1e-4), which
        # is the binding one for the small pose outputs of lightly trained networks.
        check(diff <= TOLERANCE and diff <= RELATIVE_TOLERANCE * magnitude[output],
              f"{label} {output} batch {batch}: max |ORT - ours| = {diff:.2e} (max |ours| {magnitude[output]:.3g}, "
              f"relative {diff / max(magnitude[output], 1e-30):.1e})")
        RESULTS.append((label, output, batch, diff))


def export(folder, name, depth_images, pose_pairs, depth_only=False):
    out = os.path.join(WORK, "onnx", name)
    np.save(os.path.join(WORK, f"{name}-images.npy"), depth_images)
    args = ["--load_weights_folder", folder, "--output_directory", out,
            "--parity_input", os.path.join(WORK, f"{name}-images.npy")]
    if depth_only:
        args.append("--depth_only")
    elif pose_pairs is not None:
        np.save(os.path.join(WORK, f"{name}-pairs.npy"), pose_pairs)
        args += ["--parity_pose_input", os.path.join(WORK, f"{name}-pairs.npy")]
    run("export-onnx", *args)
    parity = os.path.join(out, "parity")
    _, depth = session(os.path.join(out, "depth.onnx"))
    compare(name, depth, "image", depth_images, {"disp": np.load(os.path.join(parity, "disp.npy"))}, f"{name} depth")
    pose_path = os.path.join(out, "pose.onnx")
    if not depth_only and pose_pairs is not None:
        check(os.path.exists(pose_path), f"{name}: pose.onnx written")
        if os.path.exists(pose_path):
            _, pose = session(pose_path)
            ours = {n: np.load(os.path.join(parity, f"{n}.npy")) for n in ("axisangle", "translation", "transformation")}
            compare(name, pose, "frames", pose_pairs, ours, f"{name} pose")
    return out


def abs_rel(table_output):
    lines = table_output.strip().splitlines()
    header = next(i for i, line in enumerate(lines) if "abs_rel" in line)
    return float(re.findall(r"[-\d.]+", lines[header + 1])[0])


def main():
    global BIN, WORK, RESULTS
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build", "release"), help="folder of the built tools")
    parser.add_argument("--shared", default=os.path.join(os.path.dirname(ROOT), "shared"), help="the ../shared fixtures folder")
    parser.add_argument("--work", help="scratch folder (default: a temporary one, removed afterwards)")
    options = parser.parse_args()
    BIN = os.path.abspath(options.bin)
    WORK = os.path.abspath(options.work) if options.work else tempfile.mkdtemp(prefix="md2-check-onnx-")
    os.makedirs(WORK, exist_ok=True)
    RESULTS = []
    start = time.time()
    print(f"== check-onnx: onnx {onnx.__version__}, onnxruntime {ort.__version__}, numpy {np.__version__}; work {WORK}")

    # The synthetic world (2 drives x 12 frames at 640x192; drive 2 is the test split) and 4 training items.
    world = os.path.join(WORK, "world")
    run("synth-kitti", "--out", world, "--drives", 2, "--frames", 12, "--width", 640, "--height", 192, "--seed", 0)
    data = os.path.join(WORK, "data")
    os.makedirs(os.path.join(data, "splits", "synthetic"), exist_ok=True)
    for entry in os.listdir(world):
        if entry != "splits":
            os.symlink(os.path.join(world, entry), os.path.join(data, entry))
    with open(os.path.join(world, "splits", "synthetic", "train_files.txt")) as f:
        train_lines = f.read().splitlines()
    with open(os.path.join(data, "splits", "synthetic", "train_files.txt"), "w") as f:
        f.write("\n".join(train_lines[:4]) + "\n")
    shutil.copy(os.path.join(world, "splits", "synthetic", "val_files.txt"), os.path.join(data, "splits", "synthetic"))
    with open(os.path.join(world, "splits", "synthetic", "test_files.txt")) as f:
        test_items = [line.split() for line in f.read().splitlines() if line.strip()]

    def world_image(folder, frame, side="l"):
        return os.path.join(world, folder, "image_02" if side == "l" else "image_03", "data", f"{int(frame):010d}.jpg")

    synthetic = [world_image(*test_items[i]) for i in (0, 5, 10)]
    drive1 = sorted({line.split()[0] for line in train_lines})[0]
    pairs = [(world_image(drive1, i), world_image(drive1, i + 1)) for i in (1, 3, 5, 7)]

    shared_reference = os.path.join(options.shared, "reference")
    have_shared = os.path.isdir(os.path.join(shared_reference, "torch", "checkpoints"))
    real = []
    if have_shared:
        kitti = os.path.join(shared_reference, "kitti", "raw", "2011_09_26", "2011_09_26_drive_0001_sync", "image_02",
                             "data", "0000000000.jpg")
        real = [kitti, os.path.join(shared_reference, "assets", "test_image.jpg")]
    elif os.environ.get("MD2_REQUIRE_FIXTURES") == "1":
        failures.append(f"{shared_reference}: missing (MD2_REQUIRE_FIXTURES=1)")
    else:
        print(f"   skip official-format checks: no {shared_reference}")

    def images(width, height):
        paths = real + synthetic
        paths = paths + synthetic[:5 - len(paths)] if len(paths) < 5 else paths
        return np.stack([load_rgb(p, width, height) for p in paths[:5]])

    def frame_pairs(width, height):
        return np.stack([np.concatenate([load_rgb(a, width, height), load_rgb(b, width, height)]) for a, b in pairs])

    # 1. The official-format 640x192 checkpoint layout (formula weights, ResNet-18).
    official_out = None
    if have_shared:
        print("== official-format 640x192 checkpoints (ResNet-18)")
        official_out = export(os.path.join(shared_reference, "torch", "checkpoints"), "official640x192", images(640, 192), None,
                              depth_only=True)

    # 2. Folders written by train: 1 epoch (2 steps of 2) at 192x64.
    recipes = [("resnet18-separate", ["--num_layers", 18]), ("resnet50-separate", ["--num_layers", 50]),
               ("resnet18-posecnn", ["--num_layers", 18, "--pose_model_type", "posecnn"]),
               ("resnet18-shared", ["--num_layers", 18, "--pose_model_type", "shared"])]
    trained = {}
    for name, extra in recipes:
        print(f"== {name}: train 1 epoch at 192x64, export, compare ({time.time() - start:.0f} s)")
        run("train", "--data_path", data, "--split", "synthetic", "--log_dir", os.path.join(WORK, "logs"), "--model_name", name,
            "--height", 64, "--width", 192, "--batch_size", 2, "--num_epochs", 1, "--weights_init", "scratch",
            "--num_workers", 0, "--log_frequency", 100, "--seed", 1, "--disable_best_model", *extra)
        folder = os.path.join(WORK, "logs", name, "models", "weights_0")
        trained[name] = folder
        export(folder, name, images(192, 64), frame_pairs(192, 64))

    # 3. evaluate on the synthetic test split: our forward against ONNX Runtime's disparities.
    if official_out is not None:
        eval_folder, eval_onnx, (width, height) = os.path.join(shared_reference, "torch", "checkpoints"), official_out, (640, 192)
    else:
        eval_folder, eval_onnx, (width, height) = trained["resnet18-separate"], os.path.join(WORK, "onnx", "resnet18-separate"), (192, 64)
    print(f"== evaluate on the synthetic test split ({len(test_items)} frames) with {eval_folder} ({time.time() - start:.0f} s)")
    ours_table = run("evaluate", "--load_weights_folder", eval_folder, "--data_path", world, "--eval_split", "synthetic", "--eval_mono")
    _, sess = session(os.path.join(eval_onnx, "depth.onnx"))
    min_disp, max_disp = 1 / 100.0, 1 / 0.1
    predictions = []
    for folder, frame, side in test_items:
        disp = sess.run(None, {"image": load_rgb(world_image(folder, frame, side), width, height)[None]})[0][:, 0]
        predictions.append(min_disp + (max_disp - min_disp) * disp)  # disp_to_depth's scaled disparity, as evaluate saves
    predictions_path = os.path.join(WORK, "ort_disps.npy")
    np.save(predictions_path, np.concatenate(predictions).astype(np.float32))
    ort_table = run("evaluate", "--ext_disp_to_eval", predictions_path, "--data_path", world, "--eval_split", "synthetic",
                    "--eval_mono")
    ours_abs_rel, ort_abs_rel = abs_rel(ours_table), abs_rel(ort_table)
    check(f"{ours_abs_rel:.3f}" == f"{ort_abs_rel:.3f}",
          f"evaluate abs_rel: our forward {ours_abs_rel:.3f}, ONNX Runtime's disparities {ort_abs_rel:.3f}")

    print(f"== {len(RESULTS)} comparisons, largest max |ORT - ours| {max(r[3] for r in RESULTS):.2e}; "
          f"{time.time() - start:.0f} s")
    if not options.work:
        shutil.rmtree(WORK, ignore_errors=True)
    if failures:
        print(f"check-onnx: {len(failures)} failure(s):\n  " + "\n  ".join(failures))
        sys.exit(1)
    print("check-onnx: all passed")


if __name__ == "__main__":
    main()
