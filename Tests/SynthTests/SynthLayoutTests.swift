import Evaluation
import KITTIData
import Foundation
import KITTIData
import XCTest
@testable import Synth

/// The files are where KITTI raw and the Monodepth2 tools expect them.
final class SynthLayoutTests: XCTestCase {
    func testEveryFrameHasItsFiles() throws {
        let root = try TestWorld.shared.get()
        let layout = WorldLayout(root: root)
        for drive in 1...2 {
            XCTAssertEqual(WorldLayout.driveFolder(drive), "2000_01_01/2000_01_01_drive_000\(drive)_sync")
            for frame in 0..<TestWorld.config.frames {
                for (folder, ext) in [("image_02", "jpg"), ("image_03", "jpg"), ("depth_true_02", "npy"),
                                      ("depth_true_03", "npy"), ("velodyne_points", "bin")] {
                    let url = layout.frameFile(drive: drive, folder: folder, frame: frame, ext: ext)
                    XCTAssertTrue(FileManager.default.fileExists(atPath: url.path), url.path)
                }
            }
        }
        for name in ["calib_cam_to_cam.txt", "calib_velo_to_cam.txt", "calib_imu_to_velo.txt"] {
            XCTAssertNoThrow(try CalibrationFile(contentsOf: layout.dateDirectory.appendingPathComponent(name)))
        }
        XCTAssertTrue(SyntheticWorld.isGenerated(config: TestWorld.config, at: root))
        var other = TestWorld.config
        other.seed = 9
        XCTAssertFalse(SyntheticWorld.isGenerated(config: other, at: root))
    }

    func testSplitListsUseTheMonodepth2Formats() throws {
        let root = try TestWorld.shared.get()
        let layout = WorldLayout(root: root)
        let test = try SplitFile.readEntries(layout.testList)
        XCTAssertEqual(test.map(\.folder), Array(repeating: "2000_01_01/2000_01_01_drive_0002_sync", count: 4))
        XCTAssertEqual(test.map(\.frameIndex), [0, 1, 2, 3])
        let testText = try String(contentsOf: layout.testList, encoding: .utf8)
        XCTAssertTrue(testText.hasPrefix("2000_01_01/2000_01_01_drive_0002_sync 0000000000 l\n"), testText)
        let train = try String(contentsOf: layout.trainList, encoding: .utf8)
        let validation = try String(contentsOf: layout.validationList, encoding: .utf8)
        // Frames 1 and 2 of drive 1 have both neighbours; the last one goes to validation.
        XCTAssertEqual(train, "2000_01_01/2000_01_01_drive_0001_sync 1 l\n2000_01_01/2000_01_01_drive_0001_sync 1 r\n")
        XCTAssertEqual(validation, "2000_01_01/2000_01_01_drive_0001_sync 2 l\n2000_01_01/2000_01_01_drive_0001_sync 2 r\n")
    }

    func testSplitPlanKeepsTheTestDriveOut() {
        let plan = SplitPlan(drives: 3, frames: 50)
        XCTAssertEqual(plan.train.count + plan.validation.count, 2 * 2 * 48)
        XCTAssertEqual(plan.validation.count, 2 * 2 * 5)
        XCTAssertFalse(plan.train.contains { $0.contains("drive_0003") })
        XCTAssertEqual(plan.test.count, 50)
        XCTAssertTrue(plan.test.allSatisfy { $0.contains("drive_0003") && $0.hasSuffix(" l") })
        let single = SplitPlan(drives: 1, frames: 100)
        XCTAssertEqual(single.test.first, "2000_01_01/2000_01_01_drive_0001_sync 0000000080 l")
        XCTAssertEqual(single.train.last, "2000_01_01/2000_01_01_drive_0001_sync 77 r")
    }

    func testExportGroundTruthReadsTheTestSplit() throws {
        let root = try TestWorld.shared.get()
        let layout = WorldLayout(root: root)
        // export-gt --data_path ROOT --split synthetic: the world's own list, gt written beside it.
        let run = GroundTruthExportRun(dataPath: root, split: .synthetic) { _ in }
        XCTAssertEqual(run.listURL.standardizedFileURL.path, layout.testList.standardizedFileURL.path)
        XCTAssertEqual(run.destination.standardizedFileURL.path, layout.groundTruth.standardizedFileURL.path)
        let maps = try run.run()
        XCTAssertEqual(maps.count, 4)
        XCTAssertEqual(maps[0].width, TestWorld.config.width)
        XCTAssertGreaterThan(maps[0].values.filter { $0 > 0 }.count, 500)
        XCTAssertEqual(try ArrayFiles.readGroundTruth(layout.groundTruth).count, 4)
    }

    func testPosesAreKITTIOdometryLines() throws {
        let root = try TestWorld.shared.get()
        let text = try String(contentsOf: TestWorld.driveDirectory(root, 1).appendingPathComponent("poses.txt"), encoding: .utf8)
        let rows = text.split(separator: "\n").map { $0.split(separator: " ").compactMap { Double($0) } }
        XCTAssertEqual(rows.count, TestWorld.config.frames)
        XCTAssertTrue(rows.allSatisfy { $0.count == 12 })
        XCTAssertEqual(rows[0], [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0])
        // Camera 02 moves forward (its z) by about a metre per frame and stays level.
        XCTAssertEqual(rows[1][11], 1, accuracy: 0.4)
        XCTAssertEqual(rows[1][7], 0, accuracy: 0.02)
    }

    func testInvalidConfigurationsAreRejected() {
        XCTAssertThrowsError(try SyntheticWorld.generate(config: SyntheticWorldConfig(frames: 2), to: URL(fileURLWithPath: "/nonexistent"))) {
            XCTAssertEqual($0 as? SynthError, .invalidConfig("--frames must be at least 3 (training needs frames -1, 0, +1), not 2"))
        }
        XCTAssertThrowsError(try SyntheticWorldConfig(drives: 1, frames: 5).validate())
        XCTAssertThrowsError(try SyntheticWorldConfig(width: 8).validate())
    }
}
