import Foundation

/// A pinhole camera in pixel units: `K = [[fx, 0, cx], [0, fy, cy], [0, 0, 1]]`.
public struct PinholeIntrinsics: Sendable, Equatable {
    public var fx: Double
    public var fy: Double
    public var cx: Double
    public var cy: Double

    public init(fx: Double, fy: Double, cx: Double, cy: Double) {
        self.fx = fx
        self.fy = fy
        self.cx = cx
        self.cy = cy
    }

    /// Monodepth2's KITTI intrinsics (kitti_dataset.py's normalised K: 0.58, 1.92, 0.5, 0.5) at an
    /// image size.
    public static func kitti(width: Int, height: Int) -> PinholeIntrinsics {
        PinholeIntrinsics(fx: 0.58 * Double(width), fy: 1.92 * Double(height), cx: 0.5 * Double(width), cy: 0.5 * Double(height))
    }

    /// Reads a 3×3 pixel-unit K from text: nine numbers separated by spaces, commas, brackets or
    /// new lines (a `cam.txt`, or `np.savetxt` of K). Zero skew and a last row of 0 0 1 are required.
    public init(contentsOf url: URL) throws(ImageIOError) {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw ImageIOError(file: url.path, "cannot read the intrinsics (\(error.localizedDescription))")
        }
        let separators = CharacterSet(charactersIn: " \t\r\n,;[]")
        let fields = text.components(separatedBy: separators).filter { !$0.isEmpty }
        let numbers = fields.compactMap(Double.init)
        guard fields.count == 9, numbers.count == 9, numbers.allSatisfy(\.isFinite) else {
            throw ImageIOError(file: url.path, "expected a 3x3 matrix K (9 numbers), found \(fields.count) fields: \(fields.prefix(12).joined(separator: " "))")
        }
        guard numbers[1] == 0, numbers[3] == 0, numbers[6] == 0, numbers[7] == 0, numbers[8] == 1 else {
            throw ImageIOError(file: url.path, "K must be [[fx, 0, cx], [0, fy, cy], [0, 0, 1]] in pixels; got \(numbers)")
        }
        guard numbers[0] > 0, numbers[4] > 0 else {
            throw ImageIOError(file: url.path, "focal lengths must be positive (fx \(numbers[0]), fy \(numbers[4]))")
        }
        self.init(fx: numbers[0], fy: numbers[4], cx: numbers[2], cy: numbers[5])
    }
}

/// Coloured 3-D points in the camera frame (x right, y down, z forward), one per pixel with a
/// positive finite depth.
public struct PointCloud: Sendable, Equatable {
    public var points: [SIMD3<Float>]
    public var colors: [SIMD3<UInt8>]

    public init(points: [SIMD3<Float>], colors: [SIMD3<UInt8>]) {
        precondition(points.count == colors.count, "PointCloud: \(points.count) points, \(colors.count) colours")
        self.points = points
        self.colors = colors
    }

    /// Back-projects a depth map (z-depth per pixel, the image's size) with Monodepth2's convention
    /// (BackprojectDepth: pixel (u, v) → depth · K⁻¹ [u, v, 1]), coloured by `image` (RGB or grey).
    /// - Precondition: `depth` and `image` have the same size.
    public init(depth: FloatMap, image: Image, intrinsics k: PinholeIntrinsics) {
        precondition(depth.width == image.width && depth.height == image.height,
                     "PointCloud: depth \(depth.width)x\(depth.height) against image \(image.width)x\(image.height)")
        var points: [SIMD3<Float>] = []
        var colors: [SIMD3<UInt8>] = []
        points.reserveCapacity(depth.values.count)
        colors.reserveCapacity(depth.values.count)
        for v in 0..<depth.height {
            for u in 0..<depth.width {
                let z = Double(depth.values[v * depth.width + u])
                guard z.isFinite, z > 0 else { continue }
                points.append(SIMD3(Float((Double(u) - k.cx) / k.fx * z), Float((Double(v) - k.cy) / k.fy * z), Float(z)))
                let p = (v * image.width + u) * image.channels
                colors.append(image.channels >= 3 ? SIMD3(image.pixels[p], image.pixels[p + 1], image.pixels[p + 2])
                                                  : SIMD3(repeating: image.pixels[p]))
            }
        }
        self.init(points: points, colors: colors)
    }
}

/// Binary little-endian PLY files of `PointCloud`s: one `vertex` element with float x, y, z and
/// uchar red, green, blue (what Open3D, MeshLab and CloudCompare read).
public enum PLY {
    static func header(count: Int) -> String {
        "ply\nformat binary_little_endian 1.0\ncomment Monodepth2 for Swift point cloud (camera frame: x right, y down, z forward)\n"
            + "element vertex \(count)\nproperty float x\nproperty float y\nproperty float z\n"
            + "property uchar red\nproperty uchar green\nproperty uchar blue\nend_header\n"
    }

    /// The file's bytes.
    public static func encode(_ cloud: PointCloud) -> [UInt8] {
        var bytes = Array(header(count: cloud.points.count).utf8)
        bytes.reserveCapacity(bytes.count + cloud.points.count * 15)
        func append(_ value: Float) {
            let bits = value.bitPattern
            bytes.append(UInt8(truncatingIfNeeded: bits))
            bytes.append(UInt8(truncatingIfNeeded: bits >> 8))
            bytes.append(UInt8(truncatingIfNeeded: bits >> 16))
            bytes.append(UInt8(truncatingIfNeeded: bits >> 24))
        }
        for (point, color) in zip(cloud.points, cloud.colors) {
            append(point.x)
            append(point.y)
            append(point.z)
            bytes.append(color.x)
            bytes.append(color.y)
            bytes.append(color.z)
        }
        return bytes
    }

    /// Writes atomically (a temporary file beside `url`, then a rename).
    public static func write(_ cloud: PointCloud, to url: URL) throws(ImageIOError) {
        try PNGEncoder.writeAtomically(encode(cloud), to: url)
    }

    /// Reads a file in exactly the layout `write` produces.
    public static func read(contentsOf url: URL) throws(ImageIOError) -> PointCloud {
        let data: [UInt8]
        do { data = Array(try Data(contentsOf: url)) } catch {
            throw ImageIOError(file: url.path, "cannot read the point cloud (\(error.localizedDescription))")
        }
        let marker = Array("end_header\n".utf8)
        guard data.starts(with: Array("ply\n".utf8)),
              let end = (0...max(0, data.count - marker.count)).first(where: { data[$0..<($0 + marker.count)].elementsEqual(marker) }) else {
            throw ImageIOError(file: url.path, "not a PLY file (no 'ply' magic or no end_header)")
        }
        let headerText = String(decoding: data[0..<end], as: UTF8.self)
        guard let countLine = headerText.split(separator: "\n").first(where: { $0.hasPrefix("element vertex ") }),
              let count = Int(countLine.dropFirst("element vertex ".count)), count >= 0,
              headerText + "end_header\n" == header(count: count) else {
            throw ImageIOError(file: url.path, "unsupported PLY header (expected binary little-endian float x y z, uchar red green blue)")
        }
        let body = end + marker.count
        guard data.count - body == count * 15 else {
            throw ImageIOError(file: url.path, "\(count) vertices need \(count * 15) bytes after the header, found \(data.count - body)")
        }
        var points: [SIMD3<Float>] = []
        var colors: [SIMD3<UInt8>] = []
        points.reserveCapacity(count)
        colors.reserveCapacity(count)
        data.withUnsafeBytes { raw in
            for i in 0..<count {
                let base = body + i * 15
                func float(_ offset: Int) -> Float {
                    Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: base + offset, as: UInt32.self)))
                }
                points.append(SIMD3(float(0), float(4), float(8)))
                colors.append(SIMD3(raw[base + 12], raw[base + 13], raw[base + 14]))
            }
        }
        return PointCloud(points: points, colors: colors)
    }
}
