import CommandLineKit
import Options
import Training

// train: train.py (`trainer.py Trainer`) over the Training library. Every flag of options.py, plus
// --seed, --resume and --disable_best_model.
runMain {
    let options = try MonodepthOptions.parse(
        Array(CommandLine.arguments.dropFirst()), program: "train",
        overview: "Trains Monodepth2 (depth and pose networks) self-supervised on KITTI-layout sequences, "
            + "as the original train.py. Outputs go to --log_dir/--model_name: models/opt.json, "
            + "models/weights_N (and weights_best), TensorBoard events in train/ and val/.")
    let trainer = try Trainer(options: options)
    try trainer.train()
}
