import Foundation

/// `kitti_utils.py generate_depth_map`: projects a velodyne scan into a rectified camera image,
/// reproducing the original exactly (its `sub2ind` included):
/// - P = P_rect_0{cam} · R_rect_00 (made 4x4) · [R|T]_velo_to_cam, in float64;
/// - points with x >= 0; u = p0/p2, v = p1/p2 rounded half to even, minus 1; the value is p2,
///   or the LiDAR's forward distance x when `velodyneDepth` (what export-gt uses);
/// - image size from `S_rect_02` (even for camera 3); later points overwrite earlier ones;
/// - duplicates are found with the original's buggy `sub2ind` (`v * (cols - 1) + u - 1`, so
///   different pixels can collide) and the pixel of the FIRST point of each colliding group gets
///   the group's minimum; negative depths become 0.
public struct LidarProjection: Sendable {
    /// Image rows and columns (`S_rect_02` reversed, truncated to int32).
    public var rows: Int
    public var columns: Int
    /// The 3x4 projection P, row-major.
    public var projection: [Double]

    /// Builds the projection for camera `camera` (2 or 3) from the calibration folder of a date
    /// (`data_path/<date>` holding `calib_cam_to_cam.txt` and `calib_velo_to_cam.txt`).
    public init(calibrationDirectory: URL, camera: Int) throws(KITTIDataError) {
        let cameraFile = try CalibrationFile(contentsOf: calibrationDirectory.appendingPathComponent("calib_cam_to_cam.txt"))
        let velodyneFile = try CalibrationFile(contentsOf: calibrationDirectory.appendingPathComponent("calib_velo_to_cam.txt"))
        try self.init(cameraToCamera: cameraFile, velodyneToCamera: velodyneFile, camera: camera)
    }

    public init(cameraToCamera: CalibrationFile, velodyneToCamera: CalibrationFile, camera: Int) throws(KITTIDataError) {
        guard camera == 2 || camera == 3 else { throw .invalidArgument("camera must be 2 or 3, not \(camera)") }
        let rotation = try velodyneToCamera.numbers("R", count: 9)
        let translation = try velodyneToCamera.numbers("T", count: 3)
        let size = try cameraToCamera.numbers("S_rect_02", count: 2)
        let rectification = try cameraToCamera.numbers("R_rect_00", count: 9)
        let rectified = try cameraToCamera.numbers("P_rect_0\(camera)", count: 12)
        guard size.allSatisfy({ $0.isFinite && $0 >= 1 && $0 < 100_000 }) else {
            throw .malformedFile(path: cameraToCamera.path, problem: "implausible image size S_rect_02 \(size)")
        }
        columns = Int(size[0])
        rows = Int(size[1])
        // velo2cam = [R | T; 0 0 0 1]; R_cam2rect = I with R_rect_00 in the top-left corner.
        var velodyneToCameraMatrix = [Double](repeating: 0, count: 16)
        var cameraToRectified = [Double](repeating: 0, count: 16)
        for r in 0..<3 {
            for c in 0..<3 {
                velodyneToCameraMatrix[r * 4 + c] = rotation[r * 3 + c]
                cameraToRectified[r * 4 + c] = rectification[r * 3 + c]
            }
            velodyneToCameraMatrix[r * 4 + 3] = translation[r]
        }
        velodyneToCameraMatrix[15] = 1
        cameraToRectified[15] = 1
        let first = Self.multiply(rectified, rows: 3, inner: 4, cameraToRectified, columns: 4)
        projection = Self.multiply(first, rows: 3, inner: 4, velodyneToCameraMatrix, columns: 4)
    }

    /// `np.dot` of row-major matrices as OpenBLAS's dgemm computes it: each entry a chain of
    /// fused multiply-adds over k in order.
    public static func multiply(_ a: [Double], rows: Int, inner: Int, _ b: [Double], columns: Int) -> [Double] {
        var out = [Double](repeating: 0, count: rows * columns)
        for i in 0..<rows {
            for j in 0..<columns {
                var sum = 0.0
                for k in 0..<inner { sum = sum.addingProduct(a[i * inner + k], b[k * columns + j]) }
                out[i * columns + j] = sum
            }
        }
        return out
    }

    /// The float64 depth map (`rows x columns`, row-major, 0 = no point) of a scan.
    public func depthMap(_ scan: VelodyneScan, velodyneDepth: Bool) -> [Double] {
        let rows = self.rows, columns = self.columns
        var depth = [Double](repeating: 0, count: rows * columns)
        // Valid points in scan order: pixel index, sub2ind slot, value.
        var pixels: [Int] = [], slots: [Int] = [], values: [Double] = []
        let p = projection
        scan.values.withUnsafeBufferPointer { points in
            for index in 0..<(points.count / 4) {
                let x = points[index * 4], y = points[index * 4 + 1], z = points[index * 4 + 2]
                guard x >= 0 else { continue }
                let X = Double(x), Y = Double(y), Z = Double(z)
                // P · (x, y, z, 1) with dgemm's k-ordered fused chain.
                let p0 = (p[0] * X).addingProduct(p[1], Y).addingProduct(p[2], Z) + p[3]
                let p1 = (p[4] * X).addingProduct(p[5], Y).addingProduct(p[6], Z) + p[7]
                let p2 = (p[8] * X).addingProduct(p[9], Y).addingProduct(p[10], Z) + p[11]
                let u = (p0 / p2).rounded(.toNearestOrEven) - 1
                let v = (p1 / p2).rounded(.toNearestOrEven) - 1
                guard u >= 0, v >= 0, u < Double(columns), v < Double(rows) else { continue }
                let column = Int(u), row = Int(v)
                pixels.append(row * columns + column)
                // sub2ind((rows, cols), v, u) = v * (cols - 1) + u - 1, shifted by 1 to start at 0.
                slots.append(row * (columns - 1) + column)
                values.append(velodyneDepth ? X : p2)
            }
        }
        for (pixel, value) in zip(pixels, values) { depth[pixel] = value }
        let slotCount = rows * (columns - 1) + columns
        var firstPoint = [Int32](repeating: -1, count: slotCount)
        var members = [Int32](repeating: 0, count: slotCount)
        var minimum = [Double](repeating: 0, count: slotCount)
        for index in slots.indices {
            let slot = slots[index]
            if members[slot] == 0 {
                firstPoint[slot] = Int32(index)
                minimum[slot] = values[index]
            } else if values[index] < minimum[slot] {
                minimum[slot] = values[index]
            }
            members[slot] += 1
        }
        for slot in 0..<slotCount where members[slot] > 1 {
            depth[pixels[Int(firstPoint[slot])]] = minimum[slot]
        }
        for index in depth.indices where depth[index] < 0 { depth[index] = 0 }
        return depth
    }
}
