import Foundation
@testable import ImageIO
import XCTest

final class PointCloudTests: XCTestCase {
    private func temporary(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("pc-\(getpid())-\(name)")
    }

    func testBackProjectionUsesMonodepth2sConvention() {
        // 3x2 image, K with fx 2, fy 4, cx 1, cy 0.5: pixel (u, v) -> z * ((u - 1) / 2, (v - 0.5) / 4, 1).
        var image = Image(width: 3, height: 2, channels: 3)
        for i in 0..<image.pixels.count { image.pixels[i] = UInt8(i) }
        let depth = FloatMap(width: 3, height: 2, values: [2, 0, 4, .infinity, 1, -1])
        let cloud = PointCloud(depth: depth, image: image, intrinsics: PinholeIntrinsics(fx: 2, fy: 4, cx: 1, cy: 0.5))
        XCTAssertEqual(cloud.points, [SIMD3(-1, -0.25, 2), SIMD3(2, -0.5, 4), SIMD3(0, 0.125, 1)])
        XCTAssertEqual(cloud.colors, [SIMD3(0, 1, 2), SIMD3(6, 7, 8), SIMD3(12, 13, 14)])
        XCTAssertEqual(PinholeIntrinsics.kitti(width: 640, height: 192), PinholeIntrinsics(fx: 371.2, fy: 368.64, cx: 320, cy: 96))
    }

    func testPLYFileLayoutAndRoundTrip() throws {
        let cloud = PointCloud(points: [SIMD3(1, -2, 3.5), SIMD3(0, 0, 1e-3)], colors: [SIMD3(255, 0, 7), SIMD3(1, 2, 3)])
        let bytes = PLY.encode(cloud)
        let header = "ply\nformat binary_little_endian 1.0\ncomment Monodepth2 for Swift point cloud (camera frame: x right, y down, z forward)\n"
            + "element vertex 2\nproperty float x\nproperty float y\nproperty float z\nproperty uchar red\nproperty uchar green\nproperty uchar blue\nend_header\n"
        XCTAssertEqual(Array(bytes.prefix(header.utf8.count)), Array(header.utf8))
        XCTAssertEqual(bytes.count, header.utf8.count + 2 * 15)
        // The first vertex: 1.0f = 00 00 80 3F little-endian, then -2.0f, 3.5f, then the colour bytes.
        XCTAssertEqual(Array(bytes[header.utf8.count..<(header.utf8.count + 15)]),
                       [0, 0, 0x80, 0x3F, 0, 0, 0, 0xC0, 0, 0, 0x60, 0x40, 255, 0, 7])
        let url = temporary("roundtrip.ply")
        defer { try? FileManager.default.removeItem(at: url) }
        try PLY.write(cloud, to: url)
        XCTAssertEqual(try PLY.read(contentsOf: url), cloud)
    }

    func testBadFilesNameTheFileAndTheProblem() throws {
        let truncated = temporary("truncated.ply")
        let notPLY = temporary("not.ply")
        let badK = temporary("cam.txt")
        let skewK = temporary("skew.txt")
        defer { for url in [truncated, notPLY, badK, skewK] { try? FileManager.default.removeItem(at: url) } }
        let bytes = PLY.encode(PointCloud(points: [SIMD3(1, 2, 3)], colors: [SIMD3(4, 5, 6)]))
        try Data(bytes.dropLast(2)).write(to: truncated)
        try Data("hello".utf8).write(to: notPLY)
        try Data("718.856 0 607.19\n0 718.856 185.2\n".utf8).write(to: badK)
        try Data("[[700, 1, 600], [0, 700, 180], [0, 0, 1]]".utf8).write(to: skewK)
        XCTAssertThrowsError(try PLY.read(contentsOf: truncated)) {
            XCTAssertTrue("\($0)".contains(truncated.path) && "\($0)".contains("1 vertices need 15 bytes"), "\($0)")
        }
        XCTAssertThrowsError(try PLY.read(contentsOf: notPLY)) { XCTAssertTrue("\($0)".contains("not a PLY file"), "\($0)") }
        XCTAssertThrowsError(try PinholeIntrinsics(contentsOf: badK)) {
            XCTAssertTrue("\($0)".contains(badK.path) && "\($0)".contains("9 numbers"), "\($0)")
        }
        XCTAssertThrowsError(try PinholeIntrinsics(contentsOf: skewK)) { XCTAssertTrue("\($0)".contains("[[fx, 0, cx]"), "\($0)") }
        XCTAssertThrowsError(try PinholeIntrinsics(contentsOf: temporary("missing.txt"))) {
            XCTAssertTrue("\($0)".contains("missing.txt"), "\($0)")
        }
        let good = temporary("good.txt")
        defer { try? FileManager.default.removeItem(at: good) }
        try Data("718.856 0 607.1928\n0 718.856 185.2157\n0 0 1\n".utf8).write(to: good)
        XCTAssertEqual(try PinholeIntrinsics(contentsOf: good), PinholeIntrinsics(fx: 718.856, fy: 718.856, cx: 607.1928, cy: 185.2157))
    }
}
