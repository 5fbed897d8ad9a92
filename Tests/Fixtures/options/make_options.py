"""opt.json fixtures from the original parser: for each command line of CASES, parse it with the
original options.py, apply what trainer.py does before save_opts (expanduser of load_weights_folder in
load_model, "s" appended to frame_ids under --use_stereo) and write json.dump(opt.__dict__.copy(), f,
indent=2) as save_opts does. Also records every argparse action (help, default, choices, nargs) as
actions.json for the help/default parity test.
usage: python3 make_options.py MONODEPTH2_DIR OUT_DIR   (MONODEPTH2_DIR = the original code)"""
import sys, os, json
sys.path.insert(0, sys.argv[1])
from options import MonodepthOptions
out = sys.argv[2]

P = ["--data_path", "/data/kitti_data", "--log_dir", "/logs"]   # machine-dependent defaults, given
CASES = {
    "defaults": P,
    "stereo_1024": P + ["--use_stereo", "--frame_ids", "0", "--height", "320", "--width", "1024",
                        "--split", "eigen_full", "--png"],
    "posecnn_predictive": P + ["--pose_model_type", "posecnn", "--pose_model_input", "all",
                               "--predictive_mask", "--disable_automasking", "--scales", "0",
                               "--models_to_load", "encoder", "depth", "--learning_rate", "2e-4",
                               "--disparity_smoothness", "1e-5", "--num_layers", "50",
                               "--load_weights_folder", "/models/mono_640x192",
                               "--model_name", "posecnn \"all\" caf\u00e9", "--frame_ids", "0", "-2", "2"],
    "mono_stereo_eval": P + ["--use_stereo", "--frame_ids", "0", "-1", "1", "--batch_size", "6",
                             "--num_epochs", "1", "--pred_depth_scale_factor", "1", "--eval_split",
                             "eigen_benchmark", "--eval_mono", "--ext_disp_to_eval", "preds.npy",
                             "--eval_out_dir", "out", "--min_depth", "0.01", "--max_depth", "80"],
    "switches": P + ["--scheduler_step_size", "5", "--log_frequency", "10", "--save_frequency", "2",
                     "--num_workers", "0", "--no_cuda", "--v1_multiscale", "--avg_reprojection", "--no_ssim",
                     "--weights_init", "scratch", "--dataset", "kitti_odom", "--split", "odom",
                     "--eval_stereo", "--disable_median_scaling", "--save_pred_disps", "--no_eval",
                     "--eval_eigen_to_benchmark", "--post_process", "--max_depth", "1e3",
                     "--pred_depth_scale_factor", "5.4", "--learning_rate", "0.5e-4", "--scales", "3", "1",
                     "--pose_model_type", "shared", "--height=96", "--width", "1_280"],
}

for name, argv in CASES.items():
    opt = MonodepthOptions().parser.parse_args(argv)
    if opt.load_weights_folder is not None:                  # Trainer.load_model
        opt.load_weights_folder = os.path.expanduser(opt.load_weights_folder)
    if opt.use_stereo:                                       # Trainer.__init__
        opt.frame_ids.append("s")
    with open(os.path.join(out, name + ".opt.json"), "w") as f:   # Trainer.save_opts
        json.dump(opt.__dict__.copy(), f, indent=2)

with open(os.path.join(out, "cases.json"), "w") as f:
    json.dump(CASES, f, indent=1)

actions = []
for a in MonodepthOptions().parser._actions:
    if a.dest == "help":
        continue
    default = a.default
    if a.dest in ("data_path", "log_dir"):
        default = None                                       # machine-dependent
    actions.append({"flag": a.option_strings[0], "dest": a.dest, "help": a.help, "default": default,
                    "choices": a.choices, "nargs": None if a.nargs is None else str(a.nargs), "switch": a.nargs == 0,
                    "type": a.type.__name__ if a.type else None})
with open(os.path.join(out, "actions.json"), "w") as f:
    json.dump(actions, f, indent=1)
