"""Loads a weights folder written by `train` (separate_resnet pose, 18 layers) into the ORIGINAL
Monodepth2 networks with strict=True, and its adam.pth into torch.optim.Adam over the parameters in
trainer.py's order, then takes one Adam step. Prints what it loaded.

  /work/venv/bin/python Tests/Fixtures/trainer/check_train_output.py /work/md2orig LOG/MODEL/models/weights_0
"""
import os, sys
import torch
sys.path.insert(0, sys.argv[1])
import networks

folder = sys.argv[2]
enc = networks.ResnetEncoder(18, False)
models = {
    "encoder": enc,
    "depth": networks.DepthDecoder(enc.num_ch_enc, range(4)),
    "pose_encoder": networks.ResnetEncoder(18, False, num_input_images=2),
    "pose": networks.PoseDecoder(enc.num_ch_enc, num_input_features=1, num_frames_to_predict_for=2),
}
params = []
for name, model in models.items():
    state = torch.load(os.path.join(folder, name + ".pth"), map_location="cpu", weights_only=True)
    extras = {k: state.pop(k) for k in ("height", "width", "use_stereo") if k in state}
    model.load_state_dict(state, strict=True)
    assert all(torch.isfinite(v).all() for v in state.values() if v.is_floating_point())
    print(f"{name}.pth: {len(state)} entries loaded with strict=True", extras if extras else "")
    params += list(model.parameters())
adam = torch.optim.Adam(params, 1e-4)
adam.load_state_dict(torch.load(os.path.join(folder, "adam.pth"), map_location="cpu", weights_only=True))
steps = {int(s["step"]) for s in adam.state_dict()["state"].values()}
print(f"adam.pth: {len(adam.state_dict()['state'])} parameter states, steps {sorted(steps)}")
for p in params:
    p.grad = torch.ones_like(p)
adam.step()
print("torch.optim.Adam stepped on the loaded state: OK")
