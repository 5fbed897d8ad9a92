import CommandLineKit

/// The flags of options.py, each declared once, in the original's order (which is also opt.json's key
/// order), then our extensions. Tools put the entries they take on their `FlagSet` with
/// `FlagSet.include`, parse, and read a `MonodepthOptions` back.
public enum OptionTable {
    /// Every original flag (44, options.py order) and then our extensions.
    public static var entries: [OptionEntry] { original + extensions }

    /// The 44 flags of options.py, in declaration order.
    public static var original: [OptionEntry] {
        paths + training + optimization + ablation + system + loading + logging + evaluation
    }

    /// Our flags for `train`: `--seed`, `--resume`, `--disable_best_model`, `--disable_sync_batchnorm`,
    /// and those of `--dataset folder`.
    public static var extensions: [OptionEntry] {
        let group = "EXTENSIONS (not in the original)"
        return [
            .option("seed", \.seed, group: group,
                    help: "extension of ours: seed of every random choice (shuffles, augmentation, "
                        + "initialisation); a run is reproducible whatever --num_workers is", origin: .extension),
            .optional("resume", \.resume, group: group,
                      help: "extension of ours: continue a run from this weights folder, or from the latest "
                          + "weights folder of this log folder", origin: .extension),
            .flag("disable_best_model", \.disableBestModel, group: group,
                  help: "extension of ours: if set, skips the full validation pass after each epoch and "
                      + "does not write models/weights_best", origin: .extension),
            .flag("disable_sync_batchnorm", \.disableSyncBatchNorm, group: group,
                  help: "extension of ours: under mpirun/srun, if set, each process normalises over its own share "
                      + "of the batch instead of the whole batch (then N processes no longer compute one "
                      + "process's step)", origin: .extension),
            .optional("intrinsics", \.intrinsics, group: group,
                      help: "extension of ours: with --dataset folder, a file holding one 3x3 pixel-unit K for "
                          + "every sequence (instead of each sequence's cam.txt)", origin: .extension),
            .option("frame_stride", \.frameStride, group: group,
                    help: "extension of ours: with --dataset folder, frame id 1 is this many frames of the "
                        + "folder later (subsamples high-frame-rate video)", origin: .extension),
            .option("val_every", \.valEvery, group: group,
                    help: "extension of ours: with --dataset folder, every n-th usable frame of each sequence "
                        + "goes to the validation list", origin: .extension),
            .option("stereo_baseline", \.stereoBaseline, group: group,
                    help: "extension of ours: with --dataset folder, the stereo baseline in metres "
                        + "(right/ subfolders; KITTI's 0.54 gives the original's stereo_T of 0.1)",
                    origin: .extension),
            .optional("max_bad_frames", \.maxBadFrames, group: group,
                      help: "extension of ours: an image that cannot be decoded is reported once and its item replaced "
                          + "by the next one (the same for a given seed); more than this many such images stop the run, "
                          + "naming them (default: 0.1% of the training split, at least 1)", origin: .extension),
            .flag("check_images", \.checkImages, group: group,
                  help: "extension of ours: if set, decodes every image of the training and validation splits before "
                      + "training and lists those that cannot be decoded (more than --max_bad_frames stop the run)",
                  origin: .extension),
        ]
    }

    /// The entries with these names, in table order (for tools that take a few flags, e.g. bench).
    /// A name not in the table is a programming error.
    public static func entries(named names: [String]) -> [OptionEntry] {
        let all = entries
        for name in names {
            precondition(all.contains { $0.name == name }, "OptionTable: no flag --\(name)")
        }
        return all.filter { names.contains($0.name) }
    }

    // MARK: - options.py, section by section

    private static var paths: [OptionEntry] {
        let group = "PATHS"
        return [
            .option("data_path", \.dataPath, group: group, help: "path to the training data"),
            .option("log_dir", \.logDir, group: group, help: "log directory"),
        ]
    }

    private static var training: [OptionEntry] {
        let group = "TRAINING options"
        return [
            .option("model_name", \.modelName, group: group, help: "the name of the folder to save the model in"),
            .option("split", \.split, group: group, help: "which training split to use"),
            .option("num_layers", \.numLayers, group: group, choices: [18, 34, 50, 101, 152],
                    help: "number of resnet layers"),
            .option("dataset", \.dataset, group: group, help: "dataset to train on"),
            .flag("png", \.png, group: group, help: "if set, trains from raw KITTI png files (instead of jpgs)"),
            .option("height", \.height, group: group, help: "input image height"),
            .option("width", \.width, group: group, help: "input image width"),
            .option("disparity_smoothness", \.disparitySmoothness, group: group, help: "disparity smoothness weight"),
            .list("scales", \.scales, group: group, help: "scales used in the loss"),
            .option("min_depth", \.minDepth, group: group, help: "minimum depth"),
            .option("max_depth", \.maxDepth, group: group, help: "maximum depth"),
            .flag("use_stereo", \.useStereo, group: group, help: "if set, uses stereo pair for training"),
            // The trainer appends "s" under --use_stereo before saving opt.json.
            .list("frame_ids", \.frameIDs, group: group, help: "frames to load",
                  json: { $0.derived.frameIDs.pythonJSON }),
        ]
    }

    private static var optimization: [OptionEntry] {
        let group = "OPTIMIZATION options"
        return [
            .option("batch_size", \.batchSize, group: group, help: "batch size"),
            .option("learning_rate", \.learningRate, group: group, help: "learning rate"),
            .option("num_epochs", \.numEpochs, group: group, help: "number of epochs"),
            .option("scheduler_step_size", \.schedulerStepSize, group: group, help: "step size of the scheduler"),
        ]
    }

    private static var ablation: [OptionEntry] {
        let group = "ABLATION options"
        return [
            .flag("v1_multiscale", \.v1Multiscale, group: group, help: "if set, uses monodepth v1 multiscale"),
            .flag("avg_reprojection", \.avgReprojection, group: group, help: "if set, uses average reprojection loss"),
            .flag("disable_automasking", \.disableAutomasking, group: group, help: "if set, doesn't do auto-masking"),
            .flag("predictive_mask", \.predictiveMask, group: group,
                  help: "if set, uses a predictive masking scheme as in Zhou et al"),
            .flag("no_ssim", \.noSSIM, group: group, help: "if set, disables ssim in the loss"),
            .option("weights_init", \.weightsInit, group: group, help: "pretrained or scratch"),
            .option("pose_model_input", \.poseModelInput, group: group, help: "how many images the pose network gets"),
            .option("pose_model_type", \.poseModelType, group: group, help: "normal or shared"),
        ]
    }

    private static var system: [OptionEntry] {
        let group = "SYSTEM options"
        return [
            .flag("no_cuda", \.noCUDA, group: group, help: "if set disables CUDA"),
            .option("num_workers", \.numWorkers, group: group, help: "number of dataloader workers"),
        ]
    }

    private static var loading: [OptionEntry] {
        let group = "LOADING options"
        return [
            // The trainer expands "~" (load_model) before saving opt.json.
            .optional("load_weights_folder", \.loadWeightsFolder, group: group, help: "name of model to load",
                      json: { $0.loadWeightsFolder.map(DefaultPaths.expandingUser).pythonJSON }),
            .list("models_to_load", \.modelsToLoad, group: group, help: "models to load"),
        ]
    }

    private static var logging: [OptionEntry] {
        let group = "LOGGING options"
        return [
            .option("log_frequency", \.logFrequency, group: group,
                    help: "number of batches between each tensorboard log"),
            .option("save_frequency", \.saveFrequency, group: group, help: "number of epochs between each save"),
        ]
    }

    private static var evaluation: [OptionEntry] {
        let group = "EVALUATION options"
        return [
            .flag("eval_stereo", \.evalStereo, group: group, help: "if set evaluates in stereo mode"),
            .flag("eval_mono", \.evalMono, group: group, help: "if set evaluates in mono mode"),
            .flag("disable_median_scaling", \.disableMedianScaling, group: group,
                  help: "if set disables median scaling in evaluation"),
            // The original's default is the int 1 (argparse converts only string defaults).
            .option("pred_depth_scale_factor", \.predDepthScaleFactor, group: group,
                    help: "if set multiplies predictions by this number",
                    json: { options in
                        options.givenFlags.contains("pred_depth_scale_factor") || options.predDepthScaleFactor != 1
                            ? .float(options.predDepthScaleFactor) : .int(1)
                    }),
            .optional("ext_disp_to_eval", \.extDispToEval, group: group,
                      help: "optional path to a .npy disparities file to evaluate"),
            .option("eval_split", \.evalSplit, group: group, help: "which split to run eval on"),
            .flag("save_pred_disps", \.savePredDisps, group: group, help: "if set saves predicted disparities"),
            .flag("no_eval", \.noEval, group: group, help: "if set disables evaluation"),
            .flag("eval_eigen_to_benchmark", \.evalEigenToBenchmark, group: group,
                  help: "if set assume we are loading eigen results from npy but "
                      + "we want to evaluate using the new benchmark."),
            .optional("eval_out_dir", \.evalOutDir, group: group,
                      help: "if set will output the disparities to this folder"),
            .flag("post_process", \.postProcess, group: group,
                  help: "if set will perform the flipping post processing from the original monodepth paper"),
        ]
    }
}
