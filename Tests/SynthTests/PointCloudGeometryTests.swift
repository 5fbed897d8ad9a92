import ArrayIO
import Foundation
import ImageIO
import KITTIData
@testable import Synth
import XCTest

/// Issue 19's point-cloud check: the PLY made from a synthetic frame's true depth (instead of a
/// prediction) reproduces the scene: its points lie where the generator's LiDAR hits are, taken
/// through the calibration files into camera 02's frame.
final class PointCloudGeometryTests: XCTestCase {
    func testTrueDepthCloudMatchesTheGeneratorsLidarPoints() throws {
        let root = try TestWorld.shared.get()
        let layout = WorldLayout(root: root)
        let frame = 1
        let depth = try TestWorld.depth(root, drive: 1, camera: 2, frame: frame)
        let image = try TestWorld.image(root, drive: 1, camera: 2, frame: frame)
        let (width, height) = (image.width, image.height)
        XCTAssertEqual(depth.shape, [height, width])
        let calibration = try CalibrationFile(contentsOf: layout.dateDirectory.appendingPathComponent("calib_cam_to_cam.txt"))
        let p2 = try calibration.numbers("P_rect_02", count: 12)
        let k = PinholeIntrinsics(fx: p2[0], fy: p2[5], cx: p2[2], cy: p2[6])

        // Through the file, as a user's viewer would read it.
        let depthValues = depth.floatValues()
        let cloud = PointCloud(depth: FloatMap(width: width, height: height, values: depthValues), image: image, intrinsics: k)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pointcloud-\(getpid()).ply")
        defer { try? FileManager.default.removeItem(at: url) }
        try PLY.write(cloud, to: url)
        let read = try PLY.read(contentsOf: url)
        XCTAssertEqual(read, cloud)
        // Which point each pixel became (pixels without a finite positive depth have none).
        var pointOfPixel = [Int](repeating: -1, count: width * height)
        var next = 0
        for pixel in 0..<(width * height) where depthValues[pixel].isFinite && depthValues[pixel] > 0 {
            pointOfPixel[pixel] = next
            next += 1
        }
        XCTAssertEqual(next, read.points.count)
        XCTAssertGreaterThan(next, width * height / 2)

        // The generator's points: the scan, projected with P_rect_02 · R_rect_00 · [R|T], then K⁻¹.
        let scan = try VelodyneScan(contentsOf: layout.frameFile(drive: 1, folder: "velodyne_points", frame: frame, ext: "bin"))
        let projection = try LidarProjection(calibrationDirectory: layout.dateDirectory, camera: 2).projection
        func relativeErrors(_ points: [SIMD3<Float>]) -> [Double] {
            var errors: [Double] = []
            for i in 0..<scan.count {
                let x = Double(scan.values[4 * i]), y = Double(scan.values[4 * i + 1]), z = Double(scan.values[4 * i + 2])
                guard x > 0 else { continue }
                var p = [0.0, 0.0, 0.0]
                for r in 0..<3 { p[r] = projection[r * 4] * x + projection[r * 4 + 1] * y + projection[r * 4 + 2] * z + projection[r * 4 + 3] }
                guard p[2] > 0.5 else { continue }
                let u = Int((p[0] / p[2]).rounded()), v = Int((p[1] / p[2]).rounded())
                guard (0..<width).contains(u), (0..<height).contains(v) else { continue }
                let index = pointOfPixel[v * width + u]
                guard index >= 0 else { continue }
                let lidar = SIMD3((p[0] - k.cx * p[2]) / k.fx, (p[1] - k.cy * p[2]) / k.fy, p[2])
                let point = points[index]
                let difference = SIMD3(Double(point.x), Double(point.y), Double(point.z)) - lidar
                errors.append((difference * difference).sum().squareRoot() / lidar.z)
            }
            return errors.sorted()
        }
        let errors = relativeErrors(read.points)
        XCTAssertGreaterThan(errors.count, 500, "LiDAR points seen by camera 02")
        let median = errors[errors.count / 2]
        XCTAssertLessThan(median, 0.01, "median 3-D error over \(errors.count) LiDAR points, relative to depth")
        // The measure does see the intrinsics: the same depth with the focal lengths halved is far off.
        let wrong = PointCloud(depth: FloatMap(width: width, height: height, values: depthValues), image: image,
                               intrinsics: PinholeIntrinsics(fx: k.fx / 2, fy: k.fy / 2, cx: k.cx, cy: k.cy))
        let wrongErrors = relativeErrors(wrong.points)
        XCTAssertGreaterThan(wrongErrors[wrongErrors.count / 2], 0.1)
        print("PointCloudGeometry: \(errors.count) LiDAR points, median relative 3-D error \(median), with K halved \(wrongErrors[wrongErrors.count / 2])")
    }
}
