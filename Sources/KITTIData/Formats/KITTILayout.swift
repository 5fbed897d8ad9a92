import Foundation

/// Where a KITTI tree keeps its files: one type for the three layouts the original's datasets read
/// (`datasets/kitti_dataset.py`: the `get_image_path` and `get_depth` of `KITTIRAWDataset`,
/// `KITTIOdomDataset` and `KITTIDepthDataset`; `export_gt_depth.py export_gt_depths_kitti`).
/// - `raw` (KITTIRAWDataset): `data_path/<folder>/image_0{2|3}/data/{frame:010d}<ext>`, velodyne scans
///   `data_path/<folder>/velodyne_points/data/{frame:010d}.bin`, calibration in `data_path/<date>`;
/// - `odometry` (KITTIOdomDataset): `data_path/sequences/{seq:02d}/image_{2|3}/{frame:06d}<ext>`, the
///   folder of a split line being the sequence number; poses `data_path/poses/{seq:02d}.txt`;
/// - `depth` (KITTIDepthDataset): images as `raw`, ground truth the annotated depth PNGs
///   `data_path/<folder>/proj_depth/groundtruth/image_0{2|3}/{frame:010d}.png`.
public struct KITTILayout: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case raw, odometry, depth
    }

    public var kind: Kind
    /// `--data_path`.
    public var dataPath: URL
    /// Image file extension with its dot: `.jpg`, or `.png` under `--png`.
    public var imageExtension: String

    public init(_ kind: Kind, dataPath: URL, imageExtension: String = ".jpg") {
        self.kind = kind
        self.dataPath = dataPath
        self.imageExtension = imageExtension
    }

    /// The colour image of camera 2 (left) or 3 (right) at `frame` of a split line's folder.
    /// Throws for an odometry folder that is not a sequence number.
    public func imageURL(folder: String, frame: Int, camera: Int) throws(KITTIDataError) -> URL {
        switch kind {
        case .raw, .depth:
            return Self.rawImage(dataPath: dataPath, folder: folder, frame: frame, camera: camera, ext: imageExtension)
        case .odometry:
            guard let sequence = Self.sequenceNumber(folder) else {
                throw .invalidArgument("odometry folder '\(folder)' is not a sequence number")
            }
            return Self.odometryImage(dataPath: dataPath, sequence: sequence, frame: frame, camera: camera, ext: imageExtension)
        }
    }

    /// `data_path/<folder>/velodyne_points/data/{frame:010d}.bin`.
    public func velodyneURL(folder: String, frame: Int) -> URL {
        dataPath.appendingPathComponent(folder).appendingPathComponent("velodyne_points/data")
            .appendingPathComponent(Self.padded(frame, 10) + ".bin")
    }

    /// `data_path/<folder>/proj_depth/groundtruth/image_0{camera}/{frame:010d}.png`.
    public func annotatedDepthURL(folder: String, frame: Int, camera: Int = 2) -> URL {
        dataPath.appendingPathComponent(folder).appendingPathComponent("proj_depth/groundtruth/image_0\(camera)")
            .appendingPathComponent(Self.padded(frame, 10) + ".png")
    }

    /// `data_path/<date>`, the first path component of a raw folder: where `calib_cam_to_cam.txt`
    /// and `calib_velo_to_cam.txt` live.
    public func calibrationDirectory(folder: String) -> URL {
        dataPath.appendingPathComponent(String(folder.split(separator: "/", omittingEmptySubsequences: false).first ?? ""))
    }

    /// `data_path/poses/{sequence:02d}.txt`.
    public func posesURL(sequence: Int) -> URL {
        dataPath.appendingPathComponent("poses").appendingPathComponent(Self.padded(sequence, 2) + ".txt")
    }

    /// `int(folder)` of an odometry split line.
    public static func sequenceNumber(_ folder: String) -> Int? {
        guard !folder.isEmpty, folder.count <= 9, folder.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(folder)
    }

    /// `data_path/<folder>/image_0<camera>/data/<frame:010d><ext>`.
    public static func rawImage(dataPath: URL, folder: String, frame: Int, camera: Int, ext: String = ".jpg") -> URL {
        dataPath.appendingPathComponent(folder)
            .appendingPathComponent("image_0\(camera)")
            .appendingPathComponent("data")
            .appendingPathComponent(padded(frame, 10) + ext)
    }

    /// `data_path/sequences/<sequence:02d>/image_<camera>/<frame:06d><ext>`.
    public static func odometryImage(dataPath: URL, sequence: Int, frame: Int, camera: Int, ext: String = ".jpg") -> URL {
        dataPath.appendingPathComponent("sequences")
            .appendingPathComponent(padded(sequence, 2))
            .appendingPathComponent("image_\(camera)")
            .appendingPathComponent(padded(frame, 6) + ext)
    }

    /// Python's `"{:0Nd}".format(value)`: zero-padded to `width` characters, a minus sign counting
    /// as one of them (`-1` -> `-000000001` at width 10).
    public static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value.magnitude)
        let sign = value < 0 ? "-" : ""
        let zeros = max(0, width - sign.count - digits.count)
        return sign + String(repeating: "0", count: zeros) + digits
    }
}
