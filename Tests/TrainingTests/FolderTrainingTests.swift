import Foundation
import KITTIData
import Options
import Synth
import XCTest
@testable import Training

/// `train --dataset folder`: the trainer scans the layout, generates and records its lists, and trains.
final class FolderTrainingTests: XCTestCase {
    /// A tiny world written in both layouts, with a camera that is not KITTI's.
    static let world: Result<URL, Error> = Result {
        let config = SyntheticWorldConfig(drives: 2, frames: 12, seed: 3, width: 192, height: 64, focalPercent: 80, folderLayout: true)
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("md2-trainer-folder-world-192x64-12")
        if !SyntheticWorld.isGenerated(config: config, at: root) {
            _ = try SyntheticWorld.generate(config: config, to: root)
        }
        return root
    }

    func folderOptions(logDir: URL) throws -> MonodepthOptions {
        var options = TrainerWorldFixture.options(dataPath: WorldLayout(root: try Self.world.get()).folderRoot,
                                                  logDir: logDir, epochs: 1, workers: 2)
        options.dataset = .folder
        options.valEvery = 5
        return options
    }

    func testTrainingOnAFolderRecordsTheGeneratedListsAndSavesWeights() throws {
        let logs = TrainerWorldFixture.scratchFolder("folder-train")
        defer { try? FileManager.default.removeItem(at: logs) }
        let options = try folderOptions(logDir: logs)
        let lines = try TrainerWorldFixture.train(options)
        // Frames 1...10 of drive 1 are usable; positions 2 and 7 (frames 3 and 8) validate; l and r each.
        let splits = logs.appendingPathComponent("tiny/splits")
        let train = try String(contentsOf: splits.appendingPathComponent("train_files.txt"), encoding: .utf8)
        let validation = try String(contentsOf: splits.appendingPathComponent("val_files.txt"), encoding: .utf8)
        XCTAssertEqual(validation, "drive_0001 3 l\ndrive_0001 3 r\ndrive_0001 8 l\ndrive_0001 8 r\n")
        XCTAssertEqual(train.split(separator: "\n").count, 16)
        XCTAssertTrue(lines.contains { $0.contains("There are 16 training items and 4 validation items") }, lines.joined(separator: "\n"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: logs.appendingPathComponent("tiny/models/weights_0/encoder.pth").path))
    }

    func testStereoWithoutARightFolderAndAMissingCamTxtAreNamed() throws {
        let root = TrainerWorldFixture.scratchFolder("folder-errors")
        defer { try? FileManager.default.removeItem(at: root) }
        let copy = root.appendingPathComponent("folder")
        try FileManager.default.copyItem(at: WorldLayout(root: try Self.world.get()).folderRoot, to: copy)
        var options = try folderOptions(logDir: root)
        options.dataPath = copy.path
        try FileManager.default.removeItem(at: copy.appendingPathComponent("drive_0001/right"))
        XCTAssertThrowsError(try Trainer(options: options, output: { _ in })) { error in
            XCTAssertTrue("\(error)".contains(copy.appendingPathComponent("drive_0001/right").path), "\(error)")
            XCTAssertTrue("\(error)".contains("--use_stereo"), "\(error)")
        }
        try FileManager.default.removeItem(at: copy.appendingPathComponent("drive_0001/cam.txt"))
        options.useStereo = false
        XCTAssertThrowsError(try Trainer(options: options, output: { _ in })) { error in
            XCTAssertTrue("\(error)".contains(copy.appendingPathComponent("drive_0001/cam.txt").path), "\(error)")
        }
    }
}
