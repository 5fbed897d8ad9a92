"""Cross-check of ArrayIO's writers against real PyTorch and NumPy (run by hand; the project never needs Python).

    mkdir -p /tmp/xc && MD2_ARRAYIO_EXPORT=/tmp/xc swift test -c release --filter TorchWriterTests/testExportForPythonCrossCheck
    python3 Tests/Fixtures/arrayio/crosscheck.py /tmp/xc ../shared/reference        # torch + NumPy 2.x
    VENV_NP1/bin/python Tests/Fixtures/arrayio/crosscheck.py /tmp/xc ../shared/reference --numpy-only   # NumPy 1.x

Every file is loaded the strict way (torch.load(weights_only=True), np.load(allow_pickle=True) only for
object arrays) and compared element for element with what it must contain.
"""
import os
import sys

import numpy as np

out, ref = sys.argv[1], sys.argv[2]
numpy_only = "--numpy-only" in sys.argv
ok = True


def check(name, cond):
    global ok
    print(("PASS " if cond else "FAIL ") + name)
    ok = ok and bool(cond)


maps = [np.load(os.path.join(ref, "io/npy/gt_ragged_%d.npy" % i)) for i in range(3)]
print("numpy", np.__version__)
d = np.load(os.path.join(out, "ragged_stored.npz"), allow_pickle=True)["data"]
check("ragged_stored.npz object array", d.dtype == object and d.shape == (3,) and all(
    x.dtype == np.float32 and np.array_equal(x, m) for x, m in zip(d, maps)))
o = np.load(os.path.join(out, "ragged_objects.npy"), allow_pickle=True)
check("ragged_objects.npy", o.dtype == object and all(np.array_equal(x, m) for x, m in zip(o, maps)))
check("map1.npy bytes == np.save", open(os.path.join(out, "map1.npy"), "rb").read()
      == open(os.path.join(ref, "io/npy/gt_ragged_1.npy"), "rb").read())
fb = np.load(os.path.join(out, "map1_fortran_big.npy"))
check("map1_fortran_big.npy", fb.dtype == np.dtype(">f4") and fb.flags.f_contiguous and np.array_equal(fb, maps[1]))
cpath = os.path.join(out, "ragged_compressed.npz")
if os.path.exists(cpath):
    z = np.load(cpath, allow_pickle=True)
    check("ragged_compressed.npz", all(np.array_equal(x, m) for x, m in zip(z["data"], maps))
          and np.array_equal(z["same"], maps[0]))
else:
    print("SKIP ragged_compressed.npz (not written: DEFLATE missing)")

if not numpy_only:
    import collections
    import torch
    print("torch", torch.__version__)
    ad = torch.load(os.path.join(out, "all_dtypes.pth"), weights_only=True)
    check("all_dtypes is OrderedDict", type(ad) is collections.OrderedDict)
    t = lambda v, dt: torch.tensor(v, dtype=dt)
    exp = {
        "f32": t([[1.5, -0.0, 3.4028234663852886e38], [1.401298464324817e-45, -3.25, 0.1]], torch.float32),
        "f32_scalar": t(3.25, torch.float32), "f32_empty": torch.zeros(0, 3),
        "f64": t([1 / 3, -2.5e-300, 1e300], torch.float64),
        "f16": t([1.5, -0.0999755859375, 65504.0, 6.103515625e-05], torch.float16),
        "i64": t([-(1 << 40), -1, 0, 7, 1 << 62], torch.int64), "i64_scalar": t(0, torch.int64),
        "i32": t([[-5, 123456]], torch.int32), "i16": t([-32768, 32767], torch.int16),
        "i8": t([-128, 0, 127], torch.int8), "u8": t([0, 1, 128, 255], torch.uint8),
        "u16": t([0, 40000, 65535], torch.int32).to(torch.uint16), "bool": t([True, False, True], torch.bool),
    }
    for k, v in exp.items():
        a = ad[k]
        bits = lambda x: x.reshape(-1).contiguous().view(torch.uint8)
        same = a.dtype == v.dtype and a.shape == v.shape and torch.equal(bits(a), bits(v))
        check("all_dtypes[%s] %s %s bit-exact" % (k, a.dtype, tuple(a.shape)), same and not a.requires_grad)
    p = ad["param"]
    check("param is Parameter(requires_grad)", isinstance(p, torch.nn.Parameter) and p.requires_grad and p.tolist() == [[0.5, -0.5]])
    g = ad["grad"]
    check("grad tensor requires_grad", g.requires_grad and not isinstance(g, torch.nn.Parameter) and g.tolist() == [1.5, -2.5])
    check("python values", ad["int"] == 42 and ad["big_int"] == 1 << 40 and ad["neg_int"] == -7 and ad["huge_int"] == 1 << 71
          and ad["min_int"] == -(1 << 63) and ad["float"] == 0.1 and ad["true"] is True and ad["false"] is False
          and ad["str"] == "monodepth2 \u2713" and ad["none"] is None and ad["tuple"] == (1, 2.5, "x") and ad["list"] == [1, 2, 3]
          and ad["nested"] == {"a": 1, 7: [0.5, {"f": False}]} and type(ad["nested"]) is dict)

    adam = torch.load(os.path.join(out, "adam.pth"), weights_only=True)
    check("adam.pth layout", sorted(adam) == ["param_groups", "state"] and sorted(adam["state"]) == [0, 1, 2]
          and adam["state"][0]["exp_avg"].tolist() == [[-0.5, -0.25, 0.0], [0.25, 0.5, 0.75]]
          and adam["state"][2]["step"].item() == 3.0 and adam["param_groups"][0]["betas"] == (0.9, 0.999)
          and adam["param_groups"][0]["params"] == [0, 1, 2, 3])
    # An optimizer really accepts it.
    params = [torch.nn.Parameter(torch.zeros(2, 3)), torch.nn.Parameter(torch.zeros(3)),
              torch.nn.Parameter(torch.zeros(1)), torch.nn.Parameter(torch.zeros(4))]
    opt = torch.optim.Adam(params, lr=1e-4)
    opt.load_state_dict(adam)
    check("torch.optim.Adam.load_state_dict(adam.pth)", opt.state[params[0]]["exp_avg"].shape == (2, 3))

    def same_value(a, b):
        if isinstance(b, torch.Tensor):
            return type(a) is type(b) and a.dtype == b.dtype and a.shape == b.shape and a.requires_grad == b.requires_grad \
                and torch.equal(a.detach(), b.detach())
        if isinstance(b, dict):
            return type(a) is type(b) and list(a) == list(b) and all(same_value(a[k], b[k]) for k in b)
        if isinstance(b, (list, tuple)):
            return type(a) is type(b) and len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b))
        return type(a) is type(b) and a == b

    tiny_ref = torch.load(os.path.join(ref, "torch/checkpoints/tiny_legacy_cuda.pth"), map_location="cpu", weights_only=False)
    tiny = torch.load(os.path.join(out, "tiny_rewritten.pth"), weights_only=True)
    check("tiny_rewritten.pth == tiny_legacy_cuda.pth (torch.load, %d entries)" % len(tiny), same_value(tiny, tiny_ref))

    enc = torch.load(os.path.join(out, "encoder_rewritten.pth"), weights_only=True)
    enc_ref = torch.load(os.path.join(ref, "torch/checkpoints/encoder.pth"), weights_only=False)
    check("encoder_rewritten.pth == encoder.pth (%d entries)" % len(enc), same_value(enc, enc_ref))

print("ALL PASS" if ok else "SOME FAILED")
sys.exit(0 if ok else 1)
