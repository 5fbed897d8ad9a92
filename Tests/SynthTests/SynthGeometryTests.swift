import ArrayIO
import Evaluation
import KITTIData
import Foundation
import KITTIData
import ImageIO
import XCTest
@testable import Synth

/// The world's geometry agrees with its calibration: lidar points projected the way
/// kitti_utils.generate_depth_map does land on the true depth, and the right image is the left
/// one shifted by the true disparity 0.54·fx/z.
final class SynthGeometryTests: XCTestCase {
    func testLidarProjectedWithTheWrittenCalibrationLandsOnTheTrueDepth() throws {
        let root = try TestWorld.shared.get()
        let projection = try LidarProjection(calibrationDirectory: WorldLayout(root: root).dateDirectory, camera: 2)
        var errors: [Double] = [], shiftedErrors: [Double] = []
        for drive in 1...2 {
            for frame in 0..<TestWorld.config.frames {
                let velodyne = WorldLayout(root: root).frameFile(drive: drive, folder: "velodyne_points", frame: frame, ext: "bin")
                let projected = projection.depthMap(try VelodyneScan(contentsOf: velodyne), velodyneDepth: false)
                let truth = try TestWorld.depth(root, drive: drive, camera: 2, frame: frame).values(as: Float.self)
                let (rows, columns) = (projection.rows, projection.columns)
                for row in 0..<rows {
                    for column in 0..<columns where projected[row * columns + column] > 0 {
                        let z = projected[row * columns + column]
                        let same = Double(truth[row * columns + column])
                        errors.append(same > 0 ? abs(z - same) / same : .infinity)
                        // The original's "- 1" stores a point projected at u in column round(u) - 1.
                        if row + 1 < rows && column + 1 < columns {
                            let next = Double(truth[(row + 1) * columns + column + 1])
                            shiftedErrors.append(next > 0 ? abs(z - next) / next : .infinity)
                        }
                    }
                }
            }
        }
        XCTAssertGreaterThan(errors.count, 2000, "too few lidar points in the images")
        let median = errors.sorted()[errors.count / 2], shiftedMedian = shiftedErrors.sorted()[shiftedErrors.count / 2]
        // 200 pixels wide: one pixel of the original's offset is a few percent of depth at most.
        XCTAssertLessThan(median, 0.03, "median relative error with the original's indexing")
        XCTAssertLessThan(shiftedMedian, 0.005, "median relative error with the -1 undone")
    }

    func testRightImageIsTheLeftWarpedByTheTrueDisparity() throws {
        let root = try TestWorld.shared.get()
        let rig = StereoRig(width: TestWorld.config.width, height: TestWorld.config.height)
        var warped = 0.0, unwarped = 0.0, count = 0
        for frame in 0..<TestWorld.config.frames {
            let left = try TestWorld.image(root, drive: 1, camera: 2, frame: frame)
            let right = try TestWorld.image(root, drive: 1, camera: 3, frame: frame)
            let depth = try TestWorld.depth(root, drive: 1, camera: 2, frame: frame).values(as: Float.self)
            let (width, height) = (left.width, left.height)
            for row in 0..<height {
                for column in 0..<width {
                    let z = Double(depth[row * width + column])
                    let x = Double(column) - (z > 0 ? StereoRig.baseline * rig.fx / z : 0)
                    guard x >= 0, x <= Double(width - 1) else { continue }
                    let x0 = min(Int(x), width - 2), a = x - Double(x0)
                    for channel in 0..<3 {
                        let l = Double(left.pixels[(row * width + column) * 3 + channel])
                        let r0 = Double(right.pixels[(row * width + x0) * 3 + channel])
                        let r1 = Double(right.pixels[(row * width + x0 + 1) * 3 + channel])
                        warped += abs(r0 * (1 - a) + r1 * a - l)
                        unwarped += abs(Double(right.pixels[(row * width + column) * 3 + channel]) - l)
                        count += 1
                    }
                }
            }
        }
        warped /= Double(count)
        unwarped /= Double(count)
        XCTAssertLessThan(warped, 0.35 * unwarped, "warped \(warped) vs unwarped \(unwarped)")
        XCTAssertLessThan(warped, 8, "mean absolute error after warping (0...255)")
    }

    func testCalibrationGivesTheLoadersIntrinsicsAndTheStereoBaseline() throws {
        let root = try TestWorld.shared.get()
        let (w, h) = (Double(TestWorld.config.width), Double(TestWorld.config.height))
        let file = try CalibrationFile(contentsOf: WorldLayout(root: root).dateDirectory.appendingPathComponent("calib_cam_to_cam.txt"))
        XCTAssertEqual(try file.numbers("S_rect_02", count: 2), [w, h])
        XCTAssertEqual(try file.numbers("R_rect_00", count: 9), [1, 0, 0, 0, 1, 0, 0, 0, 1])
        let p2 = try file.numbers("P_rect_02", count: 12), p3 = try file.numbers("P_rect_03", count: 12)
        let expected = [0.58 * w, 0, 0.5 * w, 0, 0, 1.92 * h, 0.5 * h, 0, 0, 0, 1, 0]
        for (a, b) in zip(p2, expected) { XCTAssertEqual(a, b, accuracy: 1e-9) }
        XCTAssertEqual(p3[3], -0.58 * w * 0.54, accuracy: 1e-9)
        XCTAssertEqual(Array(p3[4...]), Array(p2[4...]))
        let velodyne = try CalibrationFile(contentsOf: WorldLayout(root: root).dateDirectory.appendingPathComponent("calib_velo_to_cam.txt"))
        XCTAssertEqual(try velodyne.numbers("R", count: 9), [0, -1, 0, 0, 0, -1, 1, 0, 0])
        XCTAssertEqual(try velodyne.numbers("T", count: 3), [0, -0.08, -0.27])
    }

    func testTrueDepthIsZeroOnlyForTheSky() throws {
        let root = try TestWorld.shared.get()
        let depth = try TestWorld.depth(root, drive: 1, camera: 2, frame: 0)
        XCTAssertEqual(depth.shape, [TestWorld.config.height, TestWorld.config.width])
        XCTAssertEqual(depth.elementType, .float32)
        let values = depth.values(as: Float.self), width = TestWorld.config.width
        // The bottom row is road just ahead (the camera is 1.65 m up); some of the top row is sky.
        let bottom = values[(TestWorld.config.height - 1) * width + width / 2]
        XCTAssertEqual(Double(bottom), 1.65 * 1.92 * 64 / 31, accuracy: 0.3)
        XCTAssertTrue(values[0..<width].contains(0), "no sky in the top row")
        XCTAssertTrue(values.allSatisfy { $0 == 0 || ($0 > 0.5 && $0 < 3000) })
    }
}
