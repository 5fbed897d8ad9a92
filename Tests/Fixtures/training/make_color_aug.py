#!/usr/bin/env python3
"""A training step whose networks see colour-augmented images (color_aug != color), from the ORIGINAL trainer.py.

The shared loss fixtures (../shared/reference/torch/loss) have color_aug == color, so a step that feeds the networks
`color` instead of `color_aug` (or warps and compares `color_aug` instead of `color`) passes them. This recipe makes
color_aug differ, the way MonoDataset.__getitem__ / preprocess make it when do_color_aug is true: one ColorJitter per
batch item (brightness, contrast, saturation (0.8, 1.2), hue (-0.1, 0.1): `transforms.ColorJitter.get_params`, then
the four adjustments in its random order, as ColorJitter.forward applies them), applied to the PIL image of every
frame of that item, then ToTensor. Only scale 0 of color_aug reaches the networks (encoder and pose encoder), so only
scale 0 is made and stored; color, K, inv_K and stereo_T are loss/inputs as they are.

The PIL images are rebuilt from loss/inputs/color_{f}_0.npy, which hold byte / 255 exactly (checked: round(x * 255)
/ 255 gives x back bit for bit). Each item's jitter parameters come from torch.manual_seed(20191024 + item).

Writes beside this script:
- color_aug/color_aug_{f}_0.npy, f in 0 -1 1 s: uint8 (2, 3, 64, 192), NCHW RGB bytes; the step's input is byte / 255
  (float32 division, as ToTensor).
- color_aug.json: the jitter parameters, then per variant (mono+stereo, the shared fixtures' main configuration; and
  shared, where one encoder pass sees every frame's color_aug, "s" included) the total and per-scale losses,
  identity_selection_mean, per-network gradient L2 norms, per-parameter gradient L2 norms (mono+stereo), and the
  float64 re-run's loss and network norms (the noise floor). `swapped` records what the mono+stereo step gives when
  the two image sets are exchanged (networks see color: that is losses.json's step; or warps and compares color_aug),
  to show how far a swap moves the numbers.

Same harness as make_variants.py (formula weights, salt md2-parity; --height 64 --width 192 --batch_size 2 --no_cuda;
grid_sample align_corners=True; tie-break noise zero). torch 2.x CPU, 2 threads:

Run:  VENV/bin/python make_color_aug.py --md2 MD2 --shared ../../../../shared
(VENV and MD2 as in ../shared/reference/torch/README.md.)
"""
import argparse, collections, json, os, re, sys, types

import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("--md2", required=True)
ap.add_argument("--shared", required=True)
ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
a = ap.parse_args()
TORCH_REF = os.path.join(os.path.abspath(a.shared), "reference", "torch")
sys.path.insert(0, TORCH_REF)
import make_fixtures as mf  # noqa: E402

mf.setup(a.md2)
if "six" not in sys.modules:  # utils.py imports six.moves.urllib (model download only; unused here)
    six = types.ModuleType("six"); six.moves = types.ModuleType("six.moves"); six.moves.urllib = None
    sys.modules["six"] = six; sys.modules["six.moves"] = six.moves
torch = mf.torch
import networks, formula  # noqa: E402
from layers import SSIM, BackprojectDepth, Project3D  # noqa: E402
from PIL import Image  # noqa: E402
import torchvision.transforms as transforms  # noqa: E402
import torchvision.transforms.functional as TF  # noqa: E402

FRAMES = ("0", "-1", "1", "s")
SEED = 20191024


def build_trainer(T, opt, salt):
    """Trainer.__init__ minus data loading and logging (separate_resnet and shared pose models); formula weights.
    As make_variants.py's build_trainer."""
    t = T.Trainer.__new__(T.Trainer)
    t.opt = opt
    t.models = {}
    t.parameters_to_train = []
    t.device = torch.device("cpu")
    t.num_scales = len(opt.scales)
    t.num_input_frames = len(opt.frame_ids)
    t.num_pose_frames = 2 if opt.pose_model_input == "pairs" else t.num_input_frames
    t.use_pose_net = not (opt.use_stereo and opt.frame_ids == [0])
    if opt.use_stereo:
        opt.frame_ids.append("s")
    t.models["encoder"] = networks.ResnetEncoder(opt.num_layers, False)
    t.models["depth"] = networks.DepthDecoder(t.models["encoder"].num_ch_enc, opt.scales)
    if t.use_pose_net:
        if opt.pose_model_type == "separate_resnet":
            t.models["pose_encoder"] = networks.ResnetEncoder(opt.num_layers, False, num_input_images=t.num_pose_frames)
            t.models["pose"] = networks.PoseDecoder(t.models["pose_encoder"].num_ch_enc, num_input_features=1,
                                                    num_frames_to_predict_for=2)
        elif opt.pose_model_type == "shared":
            t.models["pose"] = networks.PoseDecoder(t.models["encoder"].num_ch_enc, t.num_pose_frames)
        else:
            raise ValueError(opt.pose_model_type)
    for m in t.models.values():
        formula.fill(m, salt)
        t.parameters_to_train += list(m.parameters())
    t.model_optimizer = torch.optim.Adam(t.parameters_to_train, opt.learning_rate)
    if not opt.no_ssim:
        t.ssim = SSIM()
    t.backproject_depth, t.project_3d = {}, {}
    for scale in opt.scales:
        h, w = opt.height // (2 ** scale), opt.width // (2 ** scale)
        t.backproject_depth[scale] = BackprojectDepth(opt.batch_size, h, w)
        t.project_3d[scale] = Project3D(opt.batch_size, h, w)
    t.set_train()
    return t


def load_inputs():
    d = os.path.join(TORCH_REF, "loss", "inputs")
    inputs = {}
    for f in FRAMES:
        k = f if f == "s" else int(f)
        for s in range(4):
            t = torch.from_numpy(np.load(os.path.join(d, "color_%s_%d.npy" % (f, s))))
            inputs[("color", k, s)] = t
            inputs[("color_aug", k, s)] = t.clone()
    for s in range(4):
        inputs[("K", s)] = torch.from_numpy(np.load(os.path.join(d, "K_%d.npy" % s)))
        inputs[("inv_K", s)] = torch.from_numpy(np.load(os.path.join(d, "inv_K_%d.npy" % s)))
    inputs["stereo_T"] = torch.from_numpy(np.load(os.path.join(d, "stereo_T.npy")))
    return inputs


def jitter_params(item):
    torch.manual_seed(SEED + item)
    fn_idx, b, c, s, h = transforms.ColorJitter.get_params((0.8, 1.2), (0.8, 1.2), (0.8, 1.2), (-0.1, 0.1))
    return [int(i) for i in fn_idx], float(b), float(c), float(s), float(h)


def color_jitter(img, params):
    """ColorJitter.forward with fixed parameters."""
    fn_idx, b, c, s, h = params
    for fn_id in fn_idx:
        if fn_id == 0:
            img = TF.adjust_brightness(img, b)
        elif fn_id == 1:
            img = TF.adjust_contrast(img, c)
        elif fn_id == 2:
            img = TF.adjust_saturation(img, s)
        elif fn_id == 3:
            img = TF.adjust_hue(img, h)
    return img


def make_color_aug(inputs):
    """color_aug at scale 0 for every frame: uint8 (B, 3, H, W)."""
    params = [jitter_params(b) for b in range(mf.B)]
    out = {}
    for f in FRAMES:
        k = f if f == "s" else int(f)
        x = inputs[("color", k, 0)].numpy()
        u8 = np.round(x.astype(np.float64) * 255).astype(np.uint8)
        assert np.array_equal(u8.astype(np.float32) / np.float32(255), x), "color_%s_0 is not byte / 255" % f
        items = []
        for b in range(mf.B):
            img = Image.fromarray(np.ascontiguousarray(u8[b].transpose(1, 2, 0)), "RGB")
            items.append(np.asarray(color_jitter(img, params[b]), dtype=np.uint8).transpose(2, 0, 1))
        out[f] = np.ascontiguousarray(np.stack(items))
    return params, out


def with_aug(inputs, aug):
    inp = dict(inputs)
    for f, u8 in aug.items():
        k = f if f == "s" else int(f)
        # ToTensor: float32 byte / 255
        inp[("color_aug", k, 0)] = torch.from_numpy(u8.astype(np.float32) / np.float32(255))
    return inp


def run(T, argv, inputs, dtype=None, swap_warp=False):
    opt = mf.parse_opts(mf.BASE_ARGV + argv)
    if dtype == "float64":
        torch.set_default_dtype(torch.float64)
    tr = build_trainer(T, opt, "md2-parity")
    inp = {k: v.clone() for k, v in inputs.items()}
    if swap_warp:  # warp and compare the augmented images (a defect, recorded for scale only)
        for k in list(inp):
            if isinstance(k, tuple) and k[0] == "color" and k[2] == 0:
                inp[k] = inputs[("color_aug", k[1], 0)].clone()
    if dtype == "float64":
        mf.to_float64(tr)
        inp = {k: v.double() for k, v in inp.items()}
    outputs, losses = tr.process_batch(inp)
    tr.model_optimizer.zero_grad()
    losses["loss"].backward()
    torch.set_default_dtype(torch.float32)
    rec = collections.OrderedDict([("loss", float(losses["loss"]))] +
                                  [("loss/%d" % s, float(losses["loss/%d" % s])) for s in range(4)])
    sel = sorted(k for k in outputs if isinstance(k, str) and k.startswith("identity_selection/"))
    rec["identity_selection_mean"] = {k.split("/")[1]: float(outputs[k].mean()) for k in sel}
    per_param = collections.OrderedDict(
        (n, collections.OrderedDict((k, float(p.grad.double().norm()) if p.grad is not None else None)
                                    for k, p in m.named_parameters()))
        for n, m in tr.models.items())
    rec["grad_norm_per_network"] = {n: float(np.sqrt(sum(v ** 2 for v in d.values() if v is not None)))
                                    for n, d in per_param.items()}
    return rec, per_param


VARIANTS = collections.OrderedDict([
    ("mono+stereo", mf.VARIANTS["mono+stereo"]),
    ("shared", ["--frame_ids", "0", "-1", "1", "--use_stereo", "--pose_model_type", "shared"]),
])

T = mf.load_trainer(a.md2)
base = load_inputs()
params, aug = make_color_aug(base)
os.makedirs(os.path.join(a.out, "color_aug"), exist_ok=True)
for f, u8 in aug.items():
    np.save(os.path.join(a.out, "color_aug", "color_aug_%s_0.npy" % f), u8)
inputs = with_aug(base, aug)

doc = collections.OrderedDict([
    ("generated_by", "Tests/Fixtures/training/make_color_aug.py (original trainer.py, torch %s, torchvision ColorJitter, "
                     "2 threads)" % torch.__version__),
    ("base_argv", mf.BASE_ARGV), ("salt", "md2-parity"), ("automask_tiebreak_noise", "zero"),
    ("color_jitter", [{"item": b, "seed": SEED + b, "fn_idx": p[0], "brightness": p[1], "contrast": p[2],
                       "saturation": p[3], "hue": p[4]} for b, p in enumerate(params)]),
    ("color_aug_mean_abs_difference", {f: float(np.abs(aug[f].astype(np.float64) / 255 -
                                                       base[("color", f if f == "s" else int(f), 0)].numpy()).mean())
                                       for f in FRAMES}),
    ("variants", collections.OrderedDict())])
for name, argv in VARIANTS.items():
    r32, norms = run(T, list(argv), inputs)
    r64, _ = run(T, list(argv), inputs, dtype="float64")
    r32["argv"] = mf.BASE_ARGV + list(argv)
    r32["float64"] = {k: r64[k] for k in ("loss", "grad_norm_per_network")}
    if name == "mono+stereo":
        r32["grad_l2_norms"] = norms
    doc["variants"][name] = r32
    print(name, r32["loss"], r64["loss"], file=sys.stderr)
swapped_warp, _ = run(T, list(VARIANTS["mono+stereo"]), inputs, swap_warp=True)
networks_see_color, _ = run(T, list(VARIANTS["mono+stereo"]), base)
doc["swapped"] = collections.OrderedDict([
    ("networks_see_color", {k: networks_see_color[k] for k in ("loss", "grad_norm_per_network")}),
    ("warp_and_compare_color_aug", {k: swapped_warp[k] for k in ("loss", "grad_norm_per_network")})])
json.dump(doc, open(os.path.join(a.out, "color_aug.json"), "w"), indent=1)
print(json.dumps({k: v for k, v in doc.items() if k != "variants"}, indent=1), file=sys.stderr)
