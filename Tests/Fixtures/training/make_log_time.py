"""Prints the original trainer's time lines (trainer.py `Trainer.log_time`, utils.sec_to_hm_str)
for the cases in log_time.json's "inputs", filling in each "line": the real method runs on a stub
trainer with time.time() pinned. Run: /work/venv/bin/python make_log_time.py /work/md2orig
"""
import contextlib, io, json, sys, types
sys.path.insert(0, sys.argv[1])
# Not needed for log_time and not installed here: tensorboardX, six, skimage, IPython.
sys.modules["tensorboardX"] = types.SimpleNamespace(SummaryWriter=None)
import urllib
sys.modules["six"] = types.SimpleNamespace()
sys.modules["six.moves"] = types.SimpleNamespace(urllib=urllib)
sys.modules["skimage"] = types.SimpleNamespace(transform=None)
sys.modules["skimage.transform"] = types.SimpleNamespace()
sys.modules["IPython"] = types.SimpleNamespace(embed=None)
import torch
import trainer as original

cases = [
    # epoch, batch_idx, batch_size, duration, loss (float32), elapsed, step, num_total_steps
    (0, 0, 12, 0.731, 0.1234567, 5.2, 0, 66340),
    (0, 250, 12, 0.7125, 0.14563, 187.9, 250, 66340),
    (3, 1750, 12, 1.0, 0.098765432, 3599.999, 11701, 66340),
    (14, 2000, 12, 0.0999, 0.05, 36000.4, 48438, 66340),
    (19, 3316, 12, 0.25, 1e-6, 86399.5, 66339, 66340),
    (5, 123456, 1, 100.0, 12.345678, 1e6, 1, 100000),
    (100, 7, 4, 0.0004, 0.000005, 12.0, 9, 10),
    (2, 0, 12, 1234.5, 123456.789, 59.99, 2000, 4000),
    (1, 50, 6, 1.0 / 3.0, float("nan"), 61.0, 50, 40),
    (0, 10, 12, 0.12345, float("inf"), 0.5, 10, 20),
    (0, 11, 12, 0.025, 2.5e-06, 7.0, 7, 7),
    (7, 22, 12, 0.04, 0.987654, 360000.0, 333, 1000),
    (0, 3, 8, 0.3, -0.0, 0.999, 3, 1000000),
]


class Opt:
    pass


out = []
for epoch, batch_idx, batch_size, duration, loss, elapsed, step, total in cases:
    stub = types.SimpleNamespace(opt=Opt(), epoch=epoch, step=step, num_total_steps=total, start_time=1000.0)
    stub.opt.batch_size = batch_size
    original.time.time = lambda: 1000.0 + elapsed
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        original.Trainer.log_time(stub, batch_idx, duration, torch.tensor(loss, dtype=torch.float32).cpu().data)
    line = buffer.getvalue().rstrip("\n")
    out.append({"epoch": epoch, "batch_idx": batch_idx, "batch_size": batch_size, "duration": duration,
                "loss": str(loss), "elapsed": elapsed, "step": step, "num_total_steps": total, "line": line})
    print(line)
hm = [[t, original.sec_to_hm_str(t)] for t in [0, 0.9, 59.999, 60, 3599, 3600, 10239, 359999, 360000, 1e7]]
json.dump({"log_time": out, "sec_to_hm_str": hm}, open("log_time.json", "w"), indent=1)
