import Foundation

/// Every option of the original `options.py MonodepthOptions`, typed, with the original's defaults,
/// plus extensions of ours for `train` (`seed`, `resume`, `disableBestModel`, and the folder dataset's
/// `intrinsics`, `frameStride`, `valEvery`, `stereoBaseline`).
///
/// Parse a command line into it with `OptionTable`; check it with `validate(for:)`; read the values the
/// trainer derives from it with `derived`. Field names are the flags in camel case (`--frame_ids` is
/// `frameIDs`). The flags, help texts and choices are declared once, in `OptionTable.entries`.
public struct MonodepthOptions: Sendable, Equatable {
    // PATHS
    /// `--data_path`; default `kitti_data` beside the checkout's `splits/` (the original: beside options.py).
    public var dataPath: String = DefaultPaths.dataPath
    /// `--log_dir`; default `~/tmp`, expanded as the original does when parsing.
    public var logDir: String = DefaultPaths.logDir

    // TRAINING options
    public var modelName = "mdp"
    public var split: TrainSplit = .eigenZhou
    public var numLayers = 18
    public var dataset: DatasetName = .kitti
    public var png = false
    public var height = 192
    public var width = 640
    public var disparitySmoothness = 1e-3
    public var scales = [0, 1, 2, 3]
    public var minDepth = 0.1
    public var maxDepth = 100.0
    public var useStereo = false
    /// `--frame_ids` as given (integers). The frames a sample holds, with `"s"` under `--use_stereo`,
    /// are `derived.frameIDs`.
    public var frameIDs = [0, -1, 1]

    // OPTIMIZATION options
    public var batchSize = 12
    public var learningRate = 1e-4
    public var numEpochs = 20
    public var schedulerStepSize = 15

    // ABLATION options
    public var v1Multiscale = false
    public var avgReprojection = false
    public var disableAutomasking = false
    public var predictiveMask = false
    public var noSSIM = false
    public var weightsInit: WeightsInit = .pretrained
    public var poseModelInput: PoseModelInput = .pairs
    public var poseModelType: PoseModelType = .separateResnet

    // SYSTEM options
    public var noCUDA = false
    public var numWorkers = 12

    // LOADING options
    public var loadWeightsFolder: String?
    public var modelsToLoad: [ModelName] = [.encoder, .depth, .poseEncoder, .pose]

    // LOGGING options
    public var logFrequency = 250
    public var saveFrequency = 1

    // EVALUATION options
    public var evalStereo = false
    public var evalMono = false
    public var disableMedianScaling = false
    /// `--pred_depth_scale_factor`. The original's default is the int `1` (argparse does not convert
    /// non-string defaults), which opt.json keeps; see `givenFlags`.
    public var predDepthScaleFactor = 1.0
    public var extDispToEval: String?
    public var evalSplit: EvalSplit = .eigen
    public var savePredDisps = false
    public var noEval = false
    public var evalEigenToBenchmark = false
    /// Declared by the original, never used.
    public var evalOutDir: String?
    public var postProcess = false

    // EXTENSIONS of ours (train only; not in opt.json: the trainer records them in its state file)
    /// `--seed`: every random choice of a run derives from it (shuffles, augmentation, initialisation).
    public var seed = 0
    /// `--resume`: a weights folder, or the model's log folder to continue from its latest weights.
    public var resume: String?
    /// `--disable_best_model`: no full validation pass per epoch and no `weights_best`.
    public var disableBestModel = false
    /// `--disable_sync_batchnorm`: data-parallel processes normalise over their own share of the batch.
    public var disableSyncBatchNorm = false
    /// `--intrinsics`: with `--dataset folder`, one pixel-unit K file for every sequence instead of
    /// each sequence's `cam.txt`.
    public var intrinsics: String?
    /// `--frame_stride`: with `--dataset folder`, frame offset 1 is this many frames of the folder
    /// (subsampling high-frame-rate video).
    public var frameStride = 1
    /// `--val_every`: with `--dataset folder`, every n-th usable frame of a sequence goes to validation.
    public var valEvery = 10
    /// `--stereo_baseline`: with `--dataset folder`, the distance between the left and right
    /// cameras in metres (KITTI's 0.54 gives the original's stereo_T of 0.1).
    public var stereoBaseline = 0.54
    /// `--max_bad_frames`: the most undecodable images a run skips before it stops (nil: 0.1% of the
    /// training split, at least 1).
    public var maxBadFrames: Int?
    /// `--check_images`: decode every image of the splits before training.
    public var checkImages = false

    /// The flags that appeared on the command line (names without dashes), as parsed by `OptionTable`.
    /// Empty for options built in code.
    public var givenFlags: Set<String> = []

    public init() {}
}

/// The machine-dependent defaults of `--data_path` and `--log_dir`.
public enum DefaultPaths {
    /// `<checkout>/kitti_data`: beside the `splits/` folder that `SplitsDirectory.locate()` finds
    /// (the original: `os.path.join(os.path.dirname(__file__), "kitti_data")`).
    public static var dataPath: String {
        SplitsDirectory.locate().deletingLastPathComponent().appendingPathComponent("kitti_data").path
    }

    /// `os.path.join(os.path.expanduser("~"), "tmp")`: `$HOME/tmp`.
    public static var logDir: String {
        (homeDirectory as NSString).appendingPathComponent("tmp")
    }

    /// `$HOME` as Python's `expanduser` reads it, else the account's home folder.
    static var homeDirectory: String {
        if let home = ProcessInfo.processInfo.environment["HOME"], !home.isEmpty { return home }
        return NSHomeDirectory()
    }

    /// `os.path.expanduser`: a leading `~` or `~/` becomes `$HOME` (other users' `~name` are kept).
    public static func expandingUser(_ path: String) -> String {
        guard path == "~" || path.hasPrefix("~/") else {
            return path.hasPrefix("~") ? (path as NSString).expandingTildeInPath : path
        }
        var home = Substring(homeDirectory)
        while home.hasSuffix("/") { home.removeLast() }
        let expanded = String(home) + String(path.dropFirst())
        return expanded.isEmpty ? "/" : expanded
    }
}
