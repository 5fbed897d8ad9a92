import Foundation

/// Finding the checkout's `splits/` folder: the original reads it beside its scripts.
public enum SplitsDirectory {
    /// The first `splits` folder holding `eigen/test_files.txt` found in the current directory or
    /// walking up from the running executable (e.g. `.build/release/evaluate` -> the checkout), else
    /// `./splits`.
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

/// A value of `--split` or `--eval_split`: names the folder holding its file lists.
public protocol SplitChoice: Sendable {
    /// The folder under `splits/`: the split's name (`odom` for the pose splits `odom_9`, `odom_10`).
    var folderName: String { get }
    /// Whether the split is the synthetic world's, which lives under the data rather than the package.
    var isSynthetic: Bool { get }
}

extension TrainSplit: SplitChoice {
    public var folderName: String { rawValue }
    public var isSynthetic: Bool { self == .synthetic }
}

extension EvalSplit: SplitChoice {
    public var folderName: String { odometrySequence == nil ? rawValue : "odom" }
    public var isSynthetic: Bool { self == .synthetic }
}

extension SplitsDirectory {
    /// The folder holding a split's lists (`train_files.txt`, `val_files.txt`, `test_files.txt`) and
    /// its `gt_depths.npz`: `<packageSplits>/<name>` for the KITTI splits shipped with the package, and
    /// `<dataPath>/splits/<name>` for the synthetic world (an extension of ours: the world carries its
    /// own split). The one rule: `train`, `evaluate` and `export-gt` all find their lists through it.
    public static func folder(for split: some SplitChoice, dataPath: URL, packageSplits: URL) -> URL {
        if split.isSynthetic {
            return dataPath.appendingPathComponent("splits").appendingPathComponent(split.folderName)
        }
        return packageSplits.appendingPathComponent(split.folderName)
    }
}

extension MonodepthOptions {
    /// `SplitsDirectory.folder(for:dataPath:packageSplits:)` with `--data_path` (`~` expanded).
    public func splitFolder(for split: some SplitChoice,
                            packageSplits: URL = SplitsDirectory.locate()) -> URL {
        SplitsDirectory.folder(for: split, dataPath: URL(fileURLWithPath: DefaultPaths.expandingUser(dataPath)),
                               packageSplits: packageSplits)
    }
}
