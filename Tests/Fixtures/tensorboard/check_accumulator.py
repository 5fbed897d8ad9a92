"""Reads the log TensorBoardInteropTests wrote with TensorBoard's EventAccumulator and checks that
every scalar tag lists our (step, value) pairs and every image decodes (PIL) to our pixels.

  MD2_TB_OUT=/tmp/tbcheck swift test --filter TensorBoardInteropTests
  /work/venv/bin/python Tests/Fixtures/tensorboard/check_accumulator.py /tmp/tbcheck
"""
import io, json, os, sys
import numpy as np
from PIL import Image
from tensorboard.backend.event_processing import event_accumulator

root = sys.argv[1]
expected = json.load(open(os.path.join(root, "expected", "scalars.json")))
failures = 0
for mode in ["train", "val"]:
    acc = event_accumulator.EventAccumulator(os.path.join(root, mode), size_guidance={"scalars": 0, "images": 0})
    acc.Reload()
    tags = acc.Tags()
    print(mode, "scalars:", sorted(tags["scalars"]), "images:", sorted(tags["images"]))
    for tag, pairs in expected[mode].items():
        got = [(e.step, e.value) for e in acc.Scalars(tag)]
        want = [(int(s), float(np.float32(v))) for s, v in pairs]
        ok = got == want
        failures += not ok
        print("  scalar %-11s %s %s" % (tag, "OK" if ok else "MISMATCH", got))
    for tag in tags["images"]:
        (event,) = acc.Images(tag)
        pixels = np.asarray(Image.open(io.BytesIO(event.encoded_image_string)))
        want = np.load(os.path.join(root, "expected", mode + "_" + tag.replace("/", "_") + ".npy"))
        ok = pixels.shape == want.shape and (pixels == want).all() and \
            (event.height, event.width) == want.shape[:2] and event.step == 250
        failures += not ok
        print("  image  %-11s %s step %d %dx%d PNG %d bytes, %s pixels equal" % (
            tag, "OK" if ok else "MISMATCH", event.step, event.width, event.height,
            len(event.encoded_image_string), pixels.shape))
print("FAILURES:", failures)
sys.exit(1 if failures else 0)
