import Foundation

/// `depth_gt` of a training item (`datasets/kitti_dataset.py KITTIRAWDataset.get_depth`,
/// `KITTIDepthDataset.get_depth`): the LiDAR scan projected into the item's
/// camera (raw layout) or the annotated depth PNG (depth layout), at KITTI's full resolution
/// 375x1242, mirrored with the images when the item is flipped.
struct DepthGroundTruth: Sendable {
    /// `KITTIDataset.full_res_shape` (width, height).
    static let width = 1242
    static let height = 375

    let layout: KITTILayout
    /// One projection per date folder and camera, built once.
    let projections: [String: LidarProjection]

    /// Builds the projections the entries need (raw layout only).
    init(layout: KITTILayout, entries: [DatasetEntry]) throws(KITTIDataError) {
        self.layout = layout
        var projections: [String: LidarProjection] = [:]
        if layout.kind == .raw {
            for entry in entries {
                let key = Self.key(entry)
                if projections[key] == nil {
                    projections[key] = try LidarProjection(
                        calibrationDirectory: layout.calibrationDirectory(folder: entry.folder), camera: entry.camera)
                }
            }
        }
        self.projections = projections
    }

    static func key(_ entry: DatasetEntry) -> String { "\(entry.date)/\(entry.camera)" }

    /// The file an entry's ground truth is read from.
    func sourceURL(_ entry: DatasetEntry) -> URL {
        layout.kind == .depth
            ? layout.annotatedDepthURL(folder: entry.folder, frame: entry.frame, camera: entry.camera)
            : layout.velodyneURL(folder: entry.folder, frame: entry.frame)
    }

    /// Writes the 375x1242 map of `entry` to `destination` (float32, row-major).
    func load(_ entry: DatasetEntry, flip: Bool, into destination: UnsafeMutablePointer<Float>) throws(KITTIDataError) {
        switch layout.kind {
        case .raw:
            guard let projection = projections[Self.key(entry)] else {
                throw .invalidArgument("no calibration loaded for \(entry.date), camera \(entry.camera)")
            }
            // generate_depth_map(calib, velo, cam=side_map[side]) (vel_depth False), then
            // skimage resize(order=0) to 375x1242 and .astype(float32).
            let scan = try VelodyneScan(contentsOf: sourceURL(entry))
            let depth = projection.depthMap(scan, velodyneDepth: false)
            depth.withUnsafeBufferPointer { source in
                Self.resizeNearest(source.baseAddress!, rows: projection.rows, columns: projection.columns,
                                   flip: flip, into: destination) { Float($0) }
            }
        case .depth:
            // PIL resize NEAREST to 1242x375 of the 16-bit PNG, / 256.
            let map = try DepthPNG.read(contentsOf: sourceURL(entry))
            map.values.withUnsafeBufferPointer { source in
                Self.resizeNearest(source.baseAddress!, rows: map.height, columns: map.width,
                                   flip: flip, into: destination) { $0 }
            }
        case .odometry:
            throw .invalidArgument("the odometry layout has no depth ground truth")
        }
    }

    /// Nearest-neighbour resampling to 375x1242 (source pixel `floor((i + 0.5) * in / out)`, the
    /// identity at the native size), mirrored left-right when `flip`.
    static func resizeNearest<T>(_ source: UnsafePointer<T>, rows: Int, columns: Int, flip: Bool,
                                 into destination: UnsafeMutablePointer<Float>, _ convert: (T) -> Float) {
        var sourceColumn = [Int](repeating: 0, count: width)
        for x in 0..<width {
            let column = min(columns - 1, Int((Double(x) + 0.5) * Double(columns) / Double(width)))
            sourceColumn[flip ? width - 1 - x : x] = column
        }
        for y in 0..<height {
            let row = min(rows - 1, Int((Double(y) + 0.5) * Double(rows) / Double(height)))
            let input = source + row * columns
            let output = destination + y * width
            for x in 0..<width { output[x] = convert(input[sourceColumn[x]]) }
        }
    }
}
