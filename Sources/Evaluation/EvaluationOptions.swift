import Foundation
import Options

/// What `evaluate` runs with: the shared options of `options.py MonodepthOptions` (`evaluate` parses
/// them with `OptionTable`) plus evaluate's own `--gt_path` and where the package's splits are.
/// The shared options read and write through this value by name (`options.evalMono = true`).
@dynamicMemberLookup
public struct EvaluationOptions: Sendable {
    /// Every flag of options.py; evaluate reads the evaluation ones, `--data_path`, `--num_layers`,
    /// `--min_depth`/`--max_depth`, and for the pose splits `--height`, `--width`, `--batch_size`.
    public var shared: MonodepthOptions
    /// `--gt_path` (port addition): a gt_depths.npz elsewhere than the split's folder.
    public var gtPath: String?
    /// The package's `splits` folder (the original's is beside its scripts).
    public var splitsDirectory: URL = SplitsDirectory.locate()

    public init(_ shared: MonodepthOptions = MonodepthOptions(), gtPath: String? = nil) {
        self.shared = shared
        self.gtPath = gtPath
    }

    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<MonodepthOptions, Value>) -> Value {
        get { shared[keyPath: keyPath] }
        set { shared[keyPath: keyPath] = newValue }
    }

    /// The folder of `--eval_split`'s lists and ground truth: `splits/<eval_split>` (`splits/odom` for
    /// the pose splits), or `<data_path>/splits/synthetic` for the synthetic world.
    public var evalSplitFolder: URL {
        shared.splitFolder(for: shared.evalSplit, packageSplits: splitsDirectory)
    }

    /// The weights folder with `~` expanded (the depth script expands it, the pose script does not).
    var expandedWeightsFolder: String? {
        shared.loadWeightsFolder.map(DefaultPaths.expandingUser)
    }
}
