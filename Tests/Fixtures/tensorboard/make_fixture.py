"""Writes the TensorBoard fixtures of Tests/TensorBoardTests with PyTorch's SummaryWriter
(torch.utils.tensorboard over tensorboard's EventFileWriter), wall times and hostname pinned:

  events.out.tfevents.1700000000.fixturehost   the events file (file_version, scalars, images)
  color.png, disp.png                          the PNG bytes PIL encoded for the two images
  color_chw.npy, disp_chw.npy                  their float32 CHW inputs

Run: /work/venv/bin/python make_fixture.py (from this folder). tensorboard 2.21, torch 2.15.
"""
import os, shutil, socket, tempfile, time
import numpy as np
import torch
from torch.utils.tensorboard import SummaryWriter
from tensorboard.backend.event_processing import event_accumulator

time.time = lambda: 1700000000.25          # file name and the file_version event
socket.gethostname = lambda: "fixturehost"

# Values on and between the 1/255 steps, out of range, and the truncation edge cases.
color = np.array([0.0, 1.0, 0.5, 1 / 255, 0.999, 0.0039, 0.00393, -0.2, 1.3, 0.25, 0.75, 0.1],
                 dtype=np.float32)
color = np.resize(color, (3, 4, 5)).astype(np.float32)
color[1] = color[1][::-1]
disp = np.linspace(0, 1, 4 * 5, dtype=np.float32).reshape(1, 4, 5)

out = tempfile.mkdtemp()
writer = SummaryWriter(out)
writer.add_scalar("loss", torch.tensor(0.123456789, dtype=torch.float32), 0, walltime=1700000001.5)
writer.add_scalar("loss/0", 1.5, 250, walltime=1700000002.0)
writer.add_scalar("de/abs_rel", 0.0, 2000, walltime=1700000003.125)
writer.add_scalar("da/a1", -3.25e-7, 5_000_000_000, walltime=1700000004.0)
writer.add_image("color_0_0/0", torch.from_numpy(color), 250, walltime=1700000005.0)
writer.add_image("disp_0/0", torch.from_numpy(disp), 250, walltime=1700000006.0)
writer.close()

(name,) = os.listdir(out)
shutil.copy(os.path.join(out, name), "events.out.tfevents.1700000000.fixturehost")  # drop pid.uid
name = "events.out.tfevents.1700000000.fixturehost"
np.save("color_chw.npy", color)
np.save("disp_chw.npy", disp)
acc = event_accumulator.EventAccumulator(name, size_guidance={"images": 0})
acc.Reload()
for tag, png in [("color_0_0/0", "color.png"), ("disp_0/0", "disp.png")]:
    (event,) = acc.Images(tag)
    open(png, "wb").write(event.encoded_image_string)
print(name, os.path.getsize(name), acc.Tags()["scalars"], acc.Tags()["images"])
