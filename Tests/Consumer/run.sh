#!/usr/bin/env bash
# Builds this package (a separate package that depends on the checkout by path and imports only the
# library products) and runs the README's library example with it: the reference checkpoints
# (../shared/reference/torch/checkpoints, or $MD2_SHARED/reference/...) on assets/test_image.jpg,
# checked bit for bit against `demo`'s _disp.npy for the same image and weights.
# Without the checkpoints it still builds and links the package, then reports the check as skipped
# (exit 0); with MD2_REQUIRE_FIXTURES=1 (as CI sets) a missing checkpoint is a failure.
# Release configuration, as `demo` is built. Its build folder is Tests/Consumer/.build (a cold build
# compiles the package's modules once more: about 4 minutes on 2 cores; seconds when kept).
set -euo pipefail
consumer=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$consumer/../.." && pwd)
shared=${MD2_SHARED:-$root/../shared}
weights=$shared/reference/torch/checkpoints
image=$root/assets/test_image.jpg

# The example in the README is the one this package runs (the lines between its markers).
python3 - "$consumer/Sources/consumer-example/main.swift" "$root/README.md" <<'PY'
import sys
main, readme = (open(path, encoding="utf-8").read() for path in sys.argv[1:3])
block = main.split("    // README example begin\n")[1].split("    // README example end\n")[0]
block = "".join(line[4:] if line.startswith("    ") else line for line in block.splitlines(True))
if block not in readme:
    sys.exit(f"error: {sys.argv[2]}: the 'Use it as a library' example differs from {sys.argv[1]} (between its README markers)")
PY

start=$SECONDS
swift build -c release --package-path "$consumer"
bin=$(swift build -c release --package-path "$consumer" --show-bin-path)
echo "-> built Tests/Consumer in $((SECONDS - start)) s"

if [ ! -f "$weights/encoder.pth" ] || [ ! -f "$weights/depth.pth" ]; then
    if [ "${MD2_REQUIRE_FIXTURES:-0}" = 1 ]; then
        echo "error: $weights: encoder.pth and depth.pth not found (the reference checkpoints; MD2_REQUIRE_FIXTURES=1)" >&2
        exit 1
    fi
    echo "-> skipped the README example against demo: $weights has no encoder.pth and depth.pth (put ../shared beside the checkout, or set MD2_SHARED)"
    exit 0
fi

out=$root/.build/consumer-check
rm -rf "$out"
mkdir -p "$out/demo" "$out/library"
# demo as the checkout's last release build made it (in CI: `swift test -c release`'s, just before);
# built when absent. Run `swift build -c release` first after changing the sources.
demo=$(swift build -c release --package-path "$root" --show-bin-path)/demo
[ -x "$demo" ] || swift build -c release --package-path "$root" --product demo
"$demo" --image_path "$image" \
    --load_weights_folder "$weights" --output_directory "$out/demo" >/dev/null
"$bin/consumer-example" "$weights" "$image" "$out/library" "$out/demo/test_image_disp.npy"
cmp "$out/demo/test_image_disp.npy" "$out/library/test_image_disp.npy"
cmp "$out/demo/test_image_disp.jpeg" "$out/library/test_image_disp.jpeg"
echo "-> the library's test_image_disp.npy and .jpeg are demo's, byte for byte ($((SECONDS - start)) s in all)"
