#!/usr/bin/env bash
# Copies the carried reference fixtures from ../shared/reference (or $MD2_SHARED/reference) into this
# folder, same relative paths, byte for byte. The list is the whole recipe: every file here is a copy
# of the original of the same path (README.md says which generator made each); CarriedFixtureTests
# checks them against the originals wherever ../shared is present.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
src="${MD2_SHARED:-$here/../../../../shared}/reference"
cd "$src"
files=(
    # TensorCoreTests, NetworksTests, TrainingTests: every layer case (layers.py ops, losses, geometry).
    torch/layers
    # ArrayIOTests: the tiny pickled checkpoints (legacy, zip, CUDA-saved) and what they hold.
    torch/checkpoints/tiny_expected.json torch/checkpoints/tiny_legacy.pth
    torch/checkpoints/tiny_legacy_cuda.pth torch/checkpoints/tiny_zip.pth
    # NetworksTests, EvaluationTests: one 640x192 forward's input and disparities, the pose transforms.
    torch/forward/meta.json torch/forward/input_640x192.npy
    torch/forward/disp_scale0.npy torch/forward/disp_scale1.npy torch/forward/disp_scale2.npy
    torch/forward/disp_scale3.npy torch/forward/disp_source_size.npy
    torch/forward/pose_axisangle.npy torch/forward/pose_translation.npy
    torch/forward/pose_T_invert0.npy torch/forward/pose_T_invert1.npy
    # TensorCoreTests (Adam): the gradients and the weights after one step, both Adam rules.
    torch/loss/grads torch/loss/after_adam torch/loss/after_adam_torch041
    # EvaluationTests: the mono/stereo evaluation case (6 predictions, ground truth, the original's output).
    eval/expected.json eval/gt_depths.npz eval/pred_disps.npy
    # ArrayIOTests, ImageIOTests: the small codec references.
    io/meta.json io/npy io/colormap augment
    io/jpeg/odd_37x23.jpg io/jpeg/odd_37x23.npy io/jpeg/gray_q90.jpg io/jpeg/progressive_420.jpg
    io/jpeg/restart_420.jpg io/jpeg/q85_422.jpg io/jpeg/q90_440.jpg io/jpeg/test_image.jpg
    assets/test_image.jpg
    # The generators and their notes (the recipes).
    torch/README.md torch/make_fixtures.py torch/formula.py README-io.md
    make_io.py make_io_extra.py make_io_more.py make_eval.py make_augment_tiny.py
)
for f in "${files[@]}"; do
    mkdir -p "$here/$(dirname "$f")"
    cp -R "$f" "$here/$(dirname "$f")/"
done
# io/png: every PNG case but the 1242x375 depth map (1.1 MB).
mkdir -p "$here/io/png"
for f in io/png/*; do
    case "$f" in *depth16_1242x375*) ;; *) cp "$f" "$here/io/png/" ;; esac
done
