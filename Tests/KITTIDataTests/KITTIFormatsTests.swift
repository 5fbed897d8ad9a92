import ArrayIO
import Foundation
import TestSupport
import XCTest
@testable import KITTIData

/// kitti_utils (read_calib_file, load_velodyne_points, generate_depth_map), split lists and depth
/// PNGs against reference/kitti (made by make_kitti.py with the original code): exact equality.
final class KITTIFormatsTests: XCTestCase {
    var calibration: URL { get throws { try KITTIFixture.raw().appendingPathComponent("2011_09_26") } }
    var frame0: URL {
        get throws { try KITTIFixture.raw().appendingPathComponent("\(KITTIFixture.drive)/velodyne_points/data/0000000000.bin") }
    }

    func testCalibrationParsingFollowsReadCalibFile() throws {
        let file = try CalibrationFile(contentsOf: calibration.appendingPathComponent("calib_cam_to_cam.txt"))
        // "calib_time: 09-Jan-2012 13:57:47" splits at the first ':' and stays text.
        XCTAssertEqual(file.entries["calib_time"], .text("09-Jan-2012 13:57:47"))
        XCTAssertEqual(try file.numbers("S_rect_02", count: 2), [1242, 375])
        XCTAssertEqual(try file.numbers("P_rect_02", count: 12)[3], 44.85728)
        XCTAssertEqual(file.entries.count, 1 + 1 + 4 * 8)

        let text = "a: 1 2\nb:1.5e+01 -2.\nc: 1  2\nd: 1 x\ne:\nf: 3:4\n\ng : 7\r\nh: .5 +1 1e\n"
        let parsed = try CalibrationFile(parsing: text)
        XCTAssertEqual(parsed.entries["a"], .numbers([1, 2]))
        XCTAssertEqual(parsed.entries["b"], .numbers([15, -2]))
        XCTAssertEqual(parsed.entries["c"], .text("1  2"))       // split(' ') gives an empty token
        XCTAssertEqual(parsed.entries["d"], .text("1 x"))
        XCTAssertEqual(parsed.entries["e"], .text(""))
        XCTAssertEqual(parsed.entries["f"], .text("3:4"))        // only the first ':' splits
        XCTAssertEqual(parsed.entries["g "], .numbers([7]))      // keys are not stripped
        XCTAssertEqual(parsed.entries["h"], .text(".5 +1 1e"))   // float('1e') fails: kept as text

        XCTAssertThrowsError(try CalibrationFile(parsing: "a: 1\nno colon here\n", path: "calib.txt")) { error in
            XCTAssertEqual(error as? KITTIDataError, .malformedFile(path: "calib.txt", problem: "line 2 has no ':' (\"no colon here\")"))
        }
        XCTAssertThrowsError(try parsed.numbers("d", count: 2)) { XCTAssertTrue("\($0)".contains("'d' is not a list of numbers")) }
        XCTAssertThrowsError(try parsed.numbers("a", count: 3)) { XCTAssertTrue("\($0)".contains("has 2 numbers, expected 3")) }
    }

    func testDepthMapsEqualTheOriginalExactly() throws {
        let scan = try VelodyneScan(contentsOf: frame0)
        XCTAssertEqual(scan.count, 99996)
        for (camera, velodyneDepth, name) in [(2, false, "depth_cam2_vel_depth_false"), (2, true, "depth_cam2_vel_depth_true"),
                                              (3, true, "depth_cam3_vel_depth_true")] {
            let projection = try LidarProjection(calibrationDirectory: calibration, camera: camera)
            let reference = try Fixtures.npy("kitti/\(name).npy")
            XCTAssertEqual(reference.shape, [projection.rows, projection.columns], name)
            let depth = projection.depthMap(scan, velodyneDepth: velodyneDepth).map { Float($0) }
            let expected = reference.values(as: Float.self)
            XCTAssertEqual(depth.count, expected.count)
            let mismatches = zip(depth, expected).filter { $0 != $1 }.count
            XCTAssertEqual(mismatches, 0, "\(name): \(compare(depth, expected))")
            XCTAssertGreaterThan(expected.filter { $0 > 0 }.count, 30_000, name)
        }
    }

    /// sub2ind's bug: pixels (v, u) and (v + 1, u - cols + 1) share an index, and the pixel of the
    /// FIRST point of a colliding group takes the group's minimum. Expected map checked with the
    /// original: `generate_depth_map(".", "s.bin", 2, True)` on these two calibration files and points
    /// printed [[0 0 0 2] [2 0 0 0] [0 0 6 0]].
    func testBuggySub2indDuplicateRule() throws {
        let cameraFile = try CalibrationFile(parsing: """
            S_rect_02: 4 3
            R_rect_00: 1 0 0 0 1 0 0 0 1
            P_rect_02: 1 0 0 0 0 1 0 0 0 0 1 0
            """)
        // velodyne -> camera: camera x = velodyne y, camera y = velodyne z, camera z = velodyne x.
        let velodyneFile = try CalibrationFile(parsing: "R: 0 1 0 0 0 1 1 0 0\nT: 0 0 0\n")
        let projection = try LidarProjection(cameraToCamera: cameraFile, velodyneToCamera: velodyneFile, camera: 2)
        XCTAssertEqual([projection.rows, projection.columns], [3, 4])
        // Points at depth d landing on pixel (v, u): y = (u + 1) * d, z = (v + 1) * d.
        func point(_ v: Int, _ u: Int, _ d: Float) -> [Float] { [d, Float(u + 1) * d, Float(v + 1) * d, 0] }
        let scan = VelodyneScan(values: point(0, 3, 5) + point(1, 0, 2)   // ind 0*3+3-1 = 2 = 1*3+0-1: collide
                                + point(2, 2, 7) + point(2, 2, 6)         // same pixel: later overwrites, min wins
                                + point(1, 1, -1))                        // x < 0: dropped
        let depth = projection.depthMap(scan, velodyneDepth: true)
        var expected = [Double](repeating: 0, count: 12)
        expected[0 * 4 + 3] = 2   // first point of the colliding group gets min(5, 2)
        expected[1 * 4 + 0] = 2   // plain assignment of the second point
        expected[2 * 4 + 2] = 6
        XCTAssertEqual(depth, expected)
    }

    func testTruncatedScanIsATypedError() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("md2-formats-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // A truncated scan (not a whole number of 16-byte points).
        let bad = folder.appendingPathComponent("bad.bin")
        try Data(count: 20).write(to: bad)
        XCTAssertThrowsError(try VelodyneScan(contentsOf: bad)) { error in
            XCTAssertEqual(error as? KITTIDataError,
                           .malformedFile(path: bad.path, problem: "20 bytes is not a whole number of 16-byte points"))
        }
    }

    func testColourPNGIsNotADepthMap() throws {
        let colour = try Fixtures.reference("io/png/rgb8.png")
        XCTAssertThrowsError(try DepthPNG.read(contentsOf: colour)) { error in
            guard case KITTIDataError.badShape(colour.path, _, _) = error else { return XCTFail("\(error)") }
        }
    }

    func testSplitListParsing() throws {
        let lines = SplitFile.lines(in: "a/b 0000000005 l\r\n\n  \nc 7 r\rd 1 3")
        XCTAssertEqual(lines.map(\.number), [1, 4, 5])
        let entries = try SplitFile.parseEntries(lines, file: "t.txt")
        XCTAssertEqual(entries, [SplitEntry(folder: "a/b", frameIndex: 5, side: "l", line: 1),
                                 SplitEntry(folder: "c", frameIndex: 7, side: "r", line: 4),
                                 SplitEntry(folder: "d", frameIndex: 1, side: "3", line: 5)])
        XCTAssertEqual(entries.map(\.camera), [2, 3, 3])
        XCTAssertEqual(entries[0].date, "a")
        XCTAssertThrowsError(try SplitFile.parseEntries([(9, "a 1 s")], file: "t.txt")) { error in
            XCTAssertEqual("\(error)", "t.txt:9: side 's' is not one of l, r, 2, 3: \"a 1 s\"")
        }
        XCTAssertThrowsError(try SplitFile.parseEntries([(3, "a -1 l")], file: "t.txt"))
        XCTAssertEqual(GroundTruthExporter.paddedFrame(473), "0000000473")
    }

    func testLayoutsFollowTheOriginalPathRules() throws {
        let root = URL(fileURLWithPath: "/data/kitti")
        let drive = "2011_09_26/2011_09_26_drive_0002_sync"
        let raw = KITTILayout(.raw, dataPath: root)
        XCTAssertEqual(try raw.imageURL(folder: drive, frame: 69, camera: 3).path,
                       "/data/kitti/\(drive)/image_03/data/0000000069.jpg")
        XCTAssertEqual(try KITTILayout(.depth, dataPath: root, imageExtension: ".png").imageURL(folder: drive, frame: 5, camera: 2).path,
                       "/data/kitti/\(drive)/image_02/data/0000000005.png")
        let odometry = KITTILayout(.odometry, dataPath: root, imageExtension: ".png")
        XCTAssertEqual(try odometry.imageURL(folder: "9", frame: 12, camera: 2).path, "/data/kitti/sequences/09/image_2/000012.png")
        XCTAssertThrowsError(try odometry.imageURL(folder: "2011_09_26", frame: 0, camera: 2))
        XCTAssertEqual(odometry.posesURL(sequence: 9).path, "/data/kitti/poses/09.txt")
        XCTAssertEqual(raw.velodyneURL(folder: drive, frame: 3).path, "/data/kitti/\(drive)/velodyne_points/data/0000000003.bin")
        XCTAssertEqual(raw.annotatedDepthURL(folder: drive, frame: 3, camera: 3).path,
                       "/data/kitti/\(drive)/proj_depth/groundtruth/image_03/0000000003.png")
        XCTAssertEqual(raw.calibrationDirectory(folder: drive).path, "/data/kitti/2011_09_26")
        // "{:010d}".format(-1): the sign takes one of the ten characters.
        XCTAssertEqual(KITTILayout.padded(-1, 10), "-000000001")
        XCTAssertEqual(KITTILayout.padded(12345678901, 10), "12345678901")
    }
}
