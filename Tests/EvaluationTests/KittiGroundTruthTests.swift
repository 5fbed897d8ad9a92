import ArrayIO
import Foundation
import KITTIData
import TestSupport
import XCTest
@testable import Evaluation

/// export_gt_depth.py against reference/kitti (made by make_kitti.py with the original code): exact
/// equality everywhere. The formats themselves are tested in KITTIDataTests.
final class KittiGroundTruthTests: XCTestCase {
    /// reference/kitti/raw: one drive's calibration and velodyne scans (not carried: 7 MB).
    static func raw() throws -> URL {
        let drive = "2011_09_26/2011_09_26_drive_0001_sync/velodyne_points/data"
        return try Fixtures.reference("kitti/raw", containing: ["2011_09_26/calib_cam_to_cam.txt", "2011_09_26/calib_velo_to_cam.txt"]
                                          + (0...2).map { "\(drive)/000000000\($0).bin" })
    }

    func testExportReproducesTheOriginalGroundTruthFile() throws {
        let raw = try Self.raw()
        let testFiles = try Fixtures.reference("kitti/test_files.txt")
        let groundTruth = try Fixtures.reference("kitti/gt_depths.npz")
        let folder = try EvalFixtures.temporaryFolder(self)
        var printed = ""
        var run = GroundTruthExportRun(dataPath: raw, split: .eigen) { printed += $0 }
        run.splitFile = testFiles
        run.outputFile = folder.appendingPathComponent("gt_depths.npz")
        let maps = try run.run()
        XCTAssertEqual(printed, "Exporting ground truth depths for eigen\nSaving to eigen\n")

        let reference = try NPZ.read(contentsOf: groundTruth)
        let data = try XCTUnwrap(reference["data"]?.array)
        XCTAssertEqual(data.shape, [3, 375, 1242])
        let expected = data.values(as: Float.self)
        XCTAssertEqual(maps.flatMap(\.values), expected)
        // The file we wrote has the same layout (plain float32 stack) and content.
        let written = try XCTUnwrap(try NPZ.read(contentsOf: folder.appendingPathComponent("gt_depths.npz"))["data"]?.array)
        XCTAssertEqual(written.elementType, .float32)
        XCTAssertEqual(written.shape, [3, 375, 1242])
        XCTAssertEqual(written.values(as: Float.self), expected)
    }

    func testDefaultOutputGoesBesideTheTestList() throws {
        let raw = try Self.raw()
        let groundTruth = try Fixtures.reference("kitti/gt_depths.npz")
        let folder = try EvalFixtures.temporaryFolder(self)
        let splits = folder.appendingPathComponent("splits/eigen")
        try FileManager.default.createDirectory(at: splits, withIntermediateDirectories: true)
        try "2011_09_26/2011_09_26_drive_0001_sync 2 l\n".write(to: splits.appendingPathComponent("test_files.txt"),
                                                               atomically: true, encoding: .utf8)
        var run = GroundTruthExportRun(dataPath: raw, split: .eigen) { _ in }
        run.splitsDirectory = folder.appendingPathComponent("splits")
        try run.run()
        let maps = try ArrayFiles.readGroundTruth(splits.appendingPathComponent("gt_depths.npz"))
        XCTAssertEqual(maps.count, 1)
        let reference = try XCTUnwrap(try NPZ.read(contentsOf: groundTruth)["data"]?.arrays())
        XCTAssertEqual(maps[0].values, reference[2].values(as: Float.self))
    }

    func testMissingFramesAndBadListsAreTypedErrors() throws {
        let raw = try Self.raw()
        let folder = try EvalFixtures.temporaryFolder(self)
        func export(_ list: String, split: GroundTruthSplit = .eigen) throws {
            let url = folder.appendingPathComponent("list-\(UUID().uuidString).txt")
            try list.write(to: url, atomically: true, encoding: .utf8)
            var run = GroundTruthExportRun(dataPath: raw, split: split) { _ in }
            run.splitFile = url
            run.outputFile = folder.appendingPathComponent("out.npz")
            try run.run()
        }
        let drive = "2011_09_26/2011_09_26_drive_0001_sync"
        XCTAssertThrowsError(try export("\(drive) 0 l\n\(drive) 7 l\n")) { error in
            guard case EvaluationError.missingFile(let path, _) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(path.hasSuffix("velodyne_points/data/0000000007.bin"), path)
        }
        XCTAssertThrowsError(try export("\(drive) 0 l\n\(drive) 1\n")) { error in
            guard case EvaluationError.malformedSplitLine(_, let line, _, let reason) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(line, 2)
            XCTAssertTrue(reason.contains("expected 3 fields"), reason)
        }
        XCTAssertThrowsError(try export("\(drive) x1 l\n")) { error in
            guard case EvaluationError.malformedSplitLine(_, 1, "\(drive) x1 l", _) = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try export("2011_09_30/2011_09_30_drive_0016_sync 0 l\n")) { error in
            guard case EvaluationError.missingFile(let path, _) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(path.hasSuffix("2011_09_30/calib_cam_to_cam.txt"), path)
        }
        XCTAssertThrowsError(try export("\(drive) 0 l\n", split: .eigenBenchmark)) { error in
            guard case EvaluationError.missingFile(let path, _) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(path.hasSuffix("\(drive)/proj_depth/groundtruth/image_02/0000000000.png"), path)
        }
    }
}
