import Dispatch
import Foundation

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

/// export_gt_depth.py: one float32 ground-truth map per line of a test list (MONODEPTH2.md §7).
public struct GroundTruthExporter: Sendable {
    public var dataPath: URL
    public var split: GroundTruthSplit

    public init(dataPath: URL, split: GroundTruthSplit) {
        self.dataPath = dataPath
        self.split = split
    }

    /// The velodyne scan of an entry: `data_path/folder/velodyne_points/data/{frame:010d}.bin`.
    public func velodyneURL(_ entry: SplitEntry) -> URL {
        dataPath.appendingPathComponent(entry.folder).appendingPathComponent("velodyne_points/data")
            .appendingPathComponent(Self.paddedFrame(entry.frameIndex) + ".bin")
    }

    /// The annotated depth of an entry: `data_path/folder/proj_depth/groundtruth/image_02/{frame:010d}.png`.
    public func annotatedDepthURL(_ entry: SplitEntry) -> URL {
        dataPath.appendingPathComponent(entry.folder).appendingPathComponent("proj_depth/groundtruth/image_02")
            .appendingPathComponent(Self.paddedFrame(entry.frameIndex) + ".png")
    }

    /// `"{:010d}".format(index)`.
    static func paddedFrame(_ index: Int) -> String {
        let digits = String(index)
        return digits.count >= 10 ? digits : String(repeating: "0", count: 10 - digits.count) + digits
    }

    /// The ground truth of every entry, in order; frames are processed on all cores and
    /// `progress(done, total)` is called after each. The first failing frame's error is thrown.
    public func export(_ entries: [SplitEntry], progress: (@Sendable (Int, Int) -> Void)? = nil) throws(EvaluationError) -> [DepthMap] {
        // One projection per date folder, built up front (the original re-reads the calibration
        // for every frame; the result is the same).
        var projections: [String: LidarProjection] = [:]
        if split.projectsLidar {
            for entry in entries where projections[entry.date] == nil {
                projections[entry.date] = try LidarProjection(
                    calibrationDirectory: dataPath.appendingPathComponent(entry.date), camera: 2)
            }
        }
        let count = entries.count
        let results = ResultSlots<DepthMap>(count: count)
        let counter = ProgressCounter(total: count, report: progress)
        let frozenProjections = projections
        DispatchQueue.concurrentPerform(iterations: count) { index in
            results.store(index, Result { () throws(EvaluationError) -> DepthMap in
                try self.groundTruth(entries[index], projections: frozenProjections)
            })
            counter.increment()
        }
        return try results.collect()
    }

    func groundTruth(_ entry: SplitEntry, projections: [String: LidarProjection]) throws(EvaluationError) -> DepthMap {
        switch split {
        case .eigen, .synthetic:
            guard let projection = projections[entry.date] else {
                throw .invalidOptions("no calibration for \(entry.date)")
            }
            let scan = try VelodyneScan(contentsOf: velodyneURL(entry))
            let depth = projection.depthMap(scan, velodyneDepth: true)
            return DepthMap(width: projection.columns, height: projection.rows, values: depth.map { Float($0) })
        case .eigenBenchmark:
            return try DepthPNG.read(contentsOf: annotatedDepthURL(entry))
        }
    }
}

/// Per-index results written by concurrent workers, then collected in order.
final class ResultSlots<T>: @unchecked Sendable {
    private var slots: [Result<T, EvaluationError>?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func store(_ index: Int, _ result: Result<T, EvaluationError>) {
        lock.lock()
        slots[index] = result
        lock.unlock()
    }

    /// The values in order, or the error of the lowest failing index.
    func collect() throws(EvaluationError) -> [T] {
        var values: [T] = []
        values.reserveCapacity(slots.count)
        for slot in slots {
            switch slot {
            case .success(let value): values.append(value)
            case .failure(let error): throw error
            case nil: throw .unavailable("internal error: a result slot was not filled")
            }
        }
        return values
    }
}
