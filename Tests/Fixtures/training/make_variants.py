#!/usr/bin/env python3
"""Reference numbers for the training-step variants that ../shared/reference/torch/loss has no fixture for
(pose_model_type shared / posecnn, pose_model_input all, predictive_mask), from the ORIGINAL trainer.py.

Same setup as ../shared/reference/torch/make_fixtures.py (imported from there): the saved inputs of
loss/inputs (64x192, batch 2, four scales, color_aug == color), formula weights (salt md2-parity) in every
network, and its two documented deviations applied in memory to trainer.py (grid_sample align_corners=True;
automask tie-break noise zero), plus a third that only moves a tensor: the predictive mask's BCE target
`torch.ones(mask.shape).cuda()` becomes `torch.ones(mask.shape)` (CPU). Trainer construction follows Trainer.__init__ for every pose model type and
the predictive mask. Each variant runs in float32 and in float64 (the noise floor).

Run:  /work/venv/bin/python make_variants.py --md2 /work/md2orig --shared ../../../../shared > variants.json
"""
import argparse, collections, json, os, re, sys, types

import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("--md2", required=True)
ap.add_argument("--shared", required=True)
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


def load_trainer(md2):
    path = os.path.join(os.path.abspath(md2), "trainer.py")
    src = open(path).read()
    src, n1 = re.subn(r'padding_mode="border"\)', 'padding_mode="border", align_corners=True)', src)
    src, n2 = re.subn(r"torch\.randn\(\s*identity_reprojection_loss\.shape(\)\.cuda\(\)|, device=self\.device\))",
                      "torch.zeros(identity_reprojection_loss.shape)", src)
    # the predictive mask's BCE target is created on the GPU; here it stays on the CPU
    src, n3 = re.subn(r"torch\.ones\(mask\.shape\)\.cuda\(\)", "torch.ones(mask.shape)", src)
    assert n1 == 1 and n2 == 1 and n3 == 1, (n1, n2, n3)
    mod = types.ModuleType("md2_trainer_patched")
    mod.__file__ = path
    exec(compile(src, path, "exec"), mod.__dict__)
    return mod


def build_trainer(T, opt, salt):
    """Trainer.__init__ minus data loading and logging, every pose model type; formula weights."""
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
        elif opt.pose_model_type == "posecnn":
            t.models["pose"] = networks.PoseCNN(t.num_input_frames if opt.pose_model_input == "all" else 2)
    if opt.predictive_mask:
        assert opt.disable_automasking
        t.models["predictive_mask"] = networks.DepthDecoder(t.models["encoder"].num_ch_enc, opt.scales,
                                                            num_output_channels=(len(opt.frame_ids) - 1))
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
    for f in ("0", "-1", "1", "s"):
        for s in range(4):
            t = torch.from_numpy(np.load(os.path.join(d, "color_%s_%d.npy" % (f, s))))
            k = f if f == "s" else int(f)
            inputs[("color", k, s)] = t
            inputs[("color_aug", k, s)] = t.clone()
    for s in range(4):
        inputs[("K", s)] = torch.from_numpy(np.load(os.path.join(d, "K_%d.npy" % s)))
        inputs[("inv_K", s)] = torch.from_numpy(np.load(os.path.join(d, "inv_K_%d.npy" % s)))
    inputs["stereo_T"] = torch.from_numpy(np.load(os.path.join(d, "stereo_T.npy")))
    return inputs


def run(T, argv, inputs, dtype, evaluation=False):
    opt = mf.parse_opts(mf.BASE_ARGV + argv)
    if dtype == "float64":
        torch.set_default_dtype(torch.float64)
    tr = build_trainer(T, opt, "md2-parity")
    inp = {k: v.clone() for k, v in inputs.items()}
    if dtype == "float64":
        for m in tr.models.values():
            m.double()
        for d in (tr.backproject_depth, tr.project_3d):
            for m in d.values():
                m.double()
        inp = {k: v.double() for k, v in inp.items()}
    norms = collections.OrderedDict()
    if evaluation:  # as val(): eval mode (BatchNorm running statistics), no gradients
        tr.set_eval()
        with torch.no_grad():
            outputs, losses = tr.process_batch(inp)
        torch.set_default_dtype(torch.float32)
    else:
        outputs, losses = tr.process_batch(inp)
        tr.model_optimizer.zero_grad()
        losses["loss"].backward()
        torch.set_default_dtype(torch.float32)
        for name, m in tr.models.items():
            sq = [float(p.grad.double().pow(2).sum()) for p in m.parameters() if p.grad is not None]
            norms[name] = float(np.sqrt(sum(sq)))
    rec = collections.OrderedDict([("loss", float(losses["loss"]))] +
                                  [("loss/%d" % s, float(losses["loss/%d" % s])) for s in range(4)])
    rec["grad_norm_per_network"] = norms
    sel = [k for k in outputs if isinstance(k, str) and k.startswith("identity_selection/")]
    if sel:
        rec["identity_selection_mean"] = {k.split("/")[1]: float(outputs[k].mean()) for k in sorted(sel)}
    rec["bn_num_batches_tracked_after"] = {
        n: int(dict(m.named_buffers())["encoder.bn1.num_batches_tracked"])
        for n, m in tr.models.items() if "encoder.bn1.num_batches_tracked" in dict(m.named_buffers())}
    return rec


VARIANTS = collections.OrderedDict([
    ("shared", ["--frame_ids", "0", "-1", "1", "--use_stereo", "--pose_model_type", "shared"]),
    ("shared_all", ["--frame_ids", "0", "-1", "1", "--use_stereo", "--pose_model_type", "shared",
                    "--pose_model_input", "all"]),
    ("posecnn", ["--frame_ids", "0", "-1", "1", "--pose_model_type", "posecnn"]),
    ("posecnn_all", ["--frame_ids", "0", "-1", "1", "--pose_model_type", "posecnn", "--pose_model_input", "all"]),
    ("separate_resnet_all", ["--frame_ids", "0", "-1", "1", "--use_stereo", "--pose_model_input", "all"]),
    ("predictive_mask", ["--frame_ids", "0", "-1", "1", "--use_stereo", "--disable_automasking", "--predictive_mask"]),
    ("no_ssim", ["--frame_ids", "0", "-1", "1", "--use_stereo", "--no_ssim"]),
    # mono+stereo in evaluation mode without gradients, as Trainer.val() runs it (no gradient norms)
    ("validation", ["--frame_ids", "0", "-1", "1", "--use_stereo"]),
])

T = load_trainer(a.md2)
inputs = load_inputs()
doc = collections.OrderedDict([
    ("generated_by", "Tests/Fixtures/training/make_variants.py (original trainer.py, torch %s, 2 threads)" % torch.__version__),
    ("base_argv", mf.BASE_ARGV), ("salt", "md2-parity"),
    ("automask_tiebreak_noise", "zero"), ("variants", collections.OrderedDict())])
for name, argv in VARIANTS.items():
    evaluation = name == "validation"
    r32 = run(T, argv, inputs, None, evaluation)
    r64 = run(T, argv, inputs, "float64", evaluation)
    r32["argv"] = mf.BASE_ARGV + argv
    r32["float64"] = {k: r64[k] for k in ("loss", "grad_norm_per_network")}
    doc["variants"][name] = r32
    print(name, r32["loss"], r64["loss"], file=sys.stderr)
print(json.dumps(doc, indent=1))
