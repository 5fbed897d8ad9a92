import Foundation

/// What `evaluate` needs from the command line (the evaluation subset of the options in
/// MONODEPTH2.md §1, with the original flag names in the comments), parsed by the executable.
public struct EvaluationOptions: Sendable {
    /// `--eval_mono` / `--eval_stereo`: exactly one must be set.
    public var evalMono = false
    public var evalStereo = false
    /// `--eval_split`.
    public var evalSplit: EvaluationSplit = .eigen
    /// `--data_path`: KITTI root (images for the model, `poses/` for odometry).
    public var dataPath: String = "kitti_data"
    /// `--load_weights_folder`: the model folder; also where outputs are saved.
    public var loadWeightsFolder: String?
    /// `--ext_disp_to_eval`: an `.npy` of disparities evaluated instead of running a model.
    public var extDispToEval: String?
    /// `--eval_eigen_to_benchmark`: with external disparities, reindex 697 eigen predictions to
    /// the 652 eigen_benchmark frames.
    public var evalEigenToBenchmark = false
    /// `--save_pred_disps`, `--no_eval`, `--disable_median_scaling`, `--post_process`.
    public var savePredDisps = false
    public var noEval = false
    public var disableMedianScaling = false
    public var postProcess = false
    /// `--pred_depth_scale_factor`.
    public var predDepthScaleFactor = 1.0
    /// `--min_depth` / `--max_depth` for `disp_to_depth` of model outputs.
    public var minDepth = 0.1
    public var maxDepth = 100.0
    /// `--height`, `--width` (pose network input; the depth network takes its size from
    /// encoder.pth), `--num_layers`, `--batch_size` (pose), `--num_workers`, `--png`.
    public var height = 192
    public var width = 640
    public var numLayers = 18
    public var batchSize = 12
    public var numWorkers = 12
    public var png = false
    /// `--gt_path` (port addition): a gt_depths.npz elsewhere than `splits/<eval_split>/`.
    public var gtPath: String?
    /// The `splits` folder (the original's is beside its scripts).
    public var splitsDirectory: URL = SplitsDirectory.locate()

    public init() {}

    /// The weights folder with `~` expanded (the depth script expands it, the pose script does not).
    var expandedWeightsFolder: String? {
        loadWeightsFolder.map { NSString(string: $0).expandingTildeInPath }
    }
}

/// Finding the `splits/` folder of the checkout: the original reads it beside its scripts.
public enum SplitsDirectory {
    /// The first `splits` folder holding `eigen/test_files.txt` found walking up from the running
    /// executable (e.g. `.build/release/evaluate` -> the checkout), else `./splits`.
    public static func locate() -> URL {
        let fileManager = FileManager.default
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            var folder = executable.deletingLastPathComponent()
            for _ in 0..<6 {
                candidates.append(folder.appendingPathComponent("splits"))
                folder = folder.deletingLastPathComponent()
            }
        }
        let current = URL(fileURLWithPath: fileManager.currentDirectoryPath).appendingPathComponent("splits")
        candidates.insert(current, at: 0)
        for candidate in candidates
        where fileManager.fileExists(atPath: candidate.appendingPathComponent("eigen/test_files.txt").path) {
            return candidate
        }
        return current
    }
}
