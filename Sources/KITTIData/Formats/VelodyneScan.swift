import Foundation

/// A KITTI velodyne scan (`velodyne_points/data/*.bin`): float32 quadruples x (forward),
/// y (left), z (up), reflectance (`kitti_utils.load_velodyne_points`, which then sets the
/// fourth column to 1 for homogeneous coordinates; only x, y, z are kept here).
public struct VelodyneScan: Sendable {
    /// `count * 4` float32 values, point after point (the fourth is the reflectance as stored).
    public var values: [Float]

    public var count: Int { values.count / 4 }

    public init(values: [Float]) {
        precondition(values.count % 4 == 0, "VelodyneScan: \(values.count) values is not a multiple of 4")
        self.values = values
    }

    /// Reads a `.bin` scan (little-endian float32, 16 bytes per point).
    public init(contentsOf url: URL) throws(KITTIDataError) {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw .missingFile(path: url.path, what: "velodyne scan")
        }
        guard data.count % 16 == 0 else {
            throw .malformedFile(path: url.path, problem: "\(data.count) bytes is not a whole number of 16-byte points")
        }
        var values = [Float](repeating: 0, count: data.count / 4)
        values.withUnsafeMutableBytes { destination in
            _ = data.copyBytes(to: destination)
        }
        #if _endian(big)
        values = values.map { Float(bitPattern: $0.bitPattern.byteSwapped) }
        #endif
        self.values = values
    }
}
