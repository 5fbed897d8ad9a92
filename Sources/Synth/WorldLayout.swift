import ArrayIO
import Foundation

/// Where everything of a generated world lives, in KITTI raw's layout:
/// `DATE/calib_*.txt`, `DATE/DATE_drive_NNNN_sync/{image_02,image_03,depth_true_02,depth_true_03,
/// velodyne_points}/data/%010d.*`, `poses.txt` per drive, and `splits/synthetic/`.
public struct WorldLayout: Sendable {
    /// The world's root (`--data_path` for the tools).
    public var root: URL

    /// The recording date of every drive (any valid KITTI-style name; this one is obviously synthetic).
    public static let date = "2000_01_01"
    /// The split name the tools use for this world (`--split synthetic`, `--eval_split synthetic`).
    public static let splitName = "synthetic"

    public init(root: URL) { self.root = root }

    public var dateDirectory: URL { root.appendingPathComponent(Self.date) }

    /// `DATE/DATE_drive_NNNN_sync` for drive `number` (1-based).
    public static func driveFolder(_ number: Int) -> String {
        let digits = String(number)
        return "\(date)/\(date)_drive_\(String(repeating: "0", count: max(0, 4 - digits.count)))\(digits)_sync"
    }

    public func driveDirectory(_ number: Int) -> URL { root.appendingPathComponent(Self.driveFolder(number)) }

    /// `splits/synthetic` under the root: the split lists and `gt_depths.npz`.
    public var splitDirectory: URL { root.appendingPathComponent("splits").appendingPathComponent(Self.splitName) }
    public var trainList: URL { splitDirectory.appendingPathComponent("train_files.txt") }
    public var validationList: URL { splitDirectory.appendingPathComponent("val_files.txt") }
    public var testList: URL { splitDirectory.appendingPathComponent("test_files.txt") }
    public var groundTruth: URL { splitDirectory.appendingPathComponent("gt_depths.npz") }
    /// The training drives as a folder dataset (`--dataset folder --data_path <root>/folder`).
    public var folderRoot: URL { root.appendingPathComponent("folder") }
    /// A drive's sequence in the folder dataset: `drive_NNNN`.
    public static func sequenceName(_ drive: Int) -> String {
        let digits = String(drive)
        return "drive_" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// Written last: the configuration the world was generated with (a cache key for callers).
    public var manifest: URL { root.appendingPathComponent("synthetic_world.txt") }

    /// `{:010d}`.
    static func frameName(_ frame: Int) -> String {
        let digits = String(frame)
        return String(repeating: "0", count: max(0, 10 - digits.count)) + digits
    }

    /// `DRIVE/<folder>/data/%010d.<ext>`.
    func frameFile(drive: Int, folder: String, frame: Int, ext: String) -> URL {
        driveDirectory(drive).appendingPathComponent(folder).appendingPathComponent("data")
            .appendingPathComponent(Self.frameName(frame) + "." + ext)
    }
}

/// Atomic writes (a temporary file beside the target, then rename) with typed errors.
enum WorldFiles {
    static func createDirectory(_ url: URL) throws(SynthError) {
        do { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) } catch {
            throw .cannotWrite(path: url.path, reason: "cannot create the folder: \(error.localizedDescription)")
        }
    }

    /// Writes `bytes` atomically (`FileBytes.write`: a temporary file beside `url`, renamed into
    /// place). Not flushed: the world is regenerable and has thousands of files.
    static func write(_ bytes: [UInt8], to url: URL) throws(SynthError) {
        do { try FileBytes.write(bytes, to: url, flush: false) } catch {
            throw .cannotWrite(path: url.path, reason: error.problem)
        }
    }

    static func write(_ text: String, to url: URL) throws(SynthError) {
        try write(Array(text.utf8), to: url)
    }

    /// Float32 values as little-endian bytes.
    static func bytes(_ values: [Float]) -> [UInt8] {
        #if _endian(big)
        let values = values.map { Float(bitPattern: $0.bitPattern.byteSwapped) }
        #endif
        return values.withUnsafeBytes { Array($0) }
    }
}
