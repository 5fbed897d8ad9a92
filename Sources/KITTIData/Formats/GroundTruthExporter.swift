import Foundation
import ImageIO
import Kernels
import Options

/// The splits export-gt can build ground truth for (`--split`).
public enum GroundTruthSplit: String, CaseIterable, Sendable {
    /// LiDAR projected with `generate_depth_map(cam=2, vel_depth=True)` (697 frames).
    case eigen
    /// The annotated depth PNGs (`proj_depth/groundtruth/image_02`, 16-bit, /256; 652 frames).
    case eigenBenchmark = "eigen_benchmark"
    /// Extension of ours: the synthetic world (its velodyne scans, projected as for eigen), whose
    /// test list is `<data_path>/splits/synthetic/test_files.txt`.
    case synthetic

    /// Whether the ground truth is projected from velodyne scans (else read from annotated PNGs).
    var projectsLidar: Bool { self != .eigenBenchmark }
}

extension GroundTruthSplit: SplitChoice {
    public var folderName: String { rawValue }
    public var isSynthetic: Bool { self == .synthetic }
}

/// `export_gt_depth.py export_gt_depths_kitti`: one float32 ground-truth map per line of a test list.
public struct GroundTruthExporter: Sendable {
    public var dataPath: URL
    public var split: GroundTruthSplit

    public init(dataPath: URL, split: GroundTruthSplit) {
        self.dataPath = dataPath
        self.split = split
    }

    var layout: KITTILayout { KITTILayout(.raw, dataPath: dataPath) }

    /// The velodyne scan of an entry: `data_path/folder/velodyne_points/data/{frame:010d}.bin`.
    public func velodyneURL(_ entry: SplitEntry) -> URL {
        layout.velodyneURL(folder: entry.folder, frame: entry.frameIndex)
    }

    /// The annotated depth of an entry: `data_path/folder/proj_depth/groundtruth/image_02/{frame:010d}.png`.
    public func annotatedDepthURL(_ entry: SplitEntry) -> URL {
        layout.annotatedDepthURL(folder: entry.folder, frame: entry.frameIndex, camera: 2)
    }

    /// `"{:010d}".format(index)`.
    public static func paddedFrame(_ index: Int) -> String { KITTILayout.padded(index, 10) }

    /// The ground truth of every entry, in order; frames are processed on all cores and
    /// `progress(done, total)` is called after each. The first failing frame's error is thrown.
    public func export(_ entries: [SplitEntry], progress: (@Sendable (Int, Int) -> Void)? = nil) throws(KITTIDataError) -> [FloatMap] {
        // One projection per date folder, built up front (the original re-reads the calibration
        // for every frame; the result is the same).
        var projections: [String: LidarProjection] = [:]
        if split.projectsLidar {
            for entry in entries where projections[entry.date] == nil {
                projections[entry.date] = try LidarProjection(
                    calibrationDirectory: dataPath.appendingPathComponent(entry.date), camera: 2)
            }
        }
        let frozenProjections = projections
        return try Parallel.map(entries.count, on: .dispatch, progress: progress) { (index) throws(KITTIDataError) -> FloatMap in
            try self.groundTruth(entries[index], projections: frozenProjections)
        }
    }

    func groundTruth(_ entry: SplitEntry, projections: [String: LidarProjection]) throws(KITTIDataError) -> FloatMap {
        switch split {
        case .eigen, .synthetic:
            guard let projection = projections[entry.date] else {
                throw .invalidArgument("no calibration for \(entry.date)")
            }
            let scan = try VelodyneScan(contentsOf: velodyneURL(entry))
            let depth = projection.depthMap(scan, velodyneDepth: true)
            return FloatMap(width: projection.columns, height: projection.rows, values: depth.map { Float($0) })
        case .eigenBenchmark:
            return try DepthPNG.read(contentsOf: annotatedDepthURL(entry))
        }
    }
}

