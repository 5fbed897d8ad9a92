import Foundation
import ImageIO
import KITTIData
import Options

/// `export-gt`: `export_gt_depth.py export_gt_depths_kitti`, printing what the original prints.
public struct GroundTruthExportRun {
    /// `--data_path`: the KITTI raw root.
    public var dataPath: URL
    /// `--split`.
    public var split: GroundTruthSplit
    /// `--split_file` (port addition): the test list; default `splits/<split>/test_files.txt`
    /// (`<data_path>/splits/synthetic/test_files.txt` for the synthetic world).
    public var splitFile: URL?
    /// `--output` (port addition): default `gt_depths.npz` beside the test list, where evaluate looks.
    public var outputFile: URL?
    /// The `splits` folder.
    public var splitsDirectory: URL = SplitsDirectory.locate()
    /// Receives standard output, each piece ending with a newline.
    public var output: (String) -> Void
    /// Progress over frames: (done, total).
    public var progress: (@Sendable (Int, Int) -> Void)?

    public init(dataPath: URL, split: GroundTruthSplit, output: @escaping (String) -> Void) {
        self.dataPath = dataPath
        self.split = split
        self.output = output
    }

    /// The test list read.
    public var listURL: URL {
        splitFile ?? splitFolder.appendingPathComponent("test_files.txt")
    }

    /// The split's folder: the package's `splits/<split>`, or `<data_path>/splits/synthetic`.
    var splitFolder: URL {
        SplitsDirectory.folder(for: split, dataPath: dataPath, packageSplits: splitsDirectory)
    }

    /// Where the ground truth is written.
    public var destination: URL {
        outputFile ?? listURL.deletingLastPathComponent().appendingPathComponent("gt_depths.npz")
    }

    /// Exports and writes the ground truth; returns the maps.
    @discardableResult
    public func run() throws(EvaluationError) -> [FloatMap] {
        let lines = try EvaluationError.converting { () throws(KITTIDataError) in try SplitFile.lines(of: listURL) }
        output("Exporting ground truth depths for \(split.rawValue)\n")
        let maps = try EvaluationError.converting { () throws(KITTIDataError) in
            let entries = try SplitFile.parseEntries(lines, file: listURL.path)
            return try GroundTruthExporter(dataPath: dataPath, split: split).export(entries, progress: progress)
        }
        output("Saving to \(split.rawValue)\n")
        try ArrayFiles.writeGroundTruth(maps, to: destination)
        return maps
    }
}
