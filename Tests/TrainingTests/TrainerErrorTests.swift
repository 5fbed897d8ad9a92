import CommandLineKit
import Foundation
import Options
import XCTest
@testable import Training

/// What `train` says when the command line or the data is wrong: every message names the flag, the
/// value, the path or the file.
final class TrainerErrorTests: XCTestCase {
    func testUnknownFlagIsNamedWithASuggestion() {
        XCTAssertThrowsError(try MonodepthOptions.parse(["--learnig_rate", "3"], program: "train")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("--learnig_rate"), text)
            XCTAssertTrue(text.contains("--learning_rate"), text)
            XCTAssertEqual(MainOutcome(error: error).status, 2)
        }
    }

    func testBadValuesAreNamed() {
        XCTAssertThrowsError(try MonodepthOptions.parse(["--batch_size", "twelve"], program: "train")) { error in
            XCTAssertTrue("\(error)".contains("--batch_size") && "\(error)".contains("twelve"), "\(error)")
        }
        var options = MonodepthOptions()
        options.height = 100
        XCTAssertThrowsError(try Trainer(options: options, output: { _ in })) { error in
            XCTAssertEqual(error as? OptionsError, .notMultipleOf32(flag: "height", value: 100))
            XCTAssertTrue("\(error)".contains("--height: 100"), "\(error)")
        }
    }

    func testMissingDataPathNamesThePath() throws {
        let root = TrainerWorldFixture.scratchFolder("nodata")
        defer { try? FileManager.default.removeItem(at: root) }
        let missing = root.appendingPathComponent("no_such_kitti")
        let options = TrainerWorldFixture.options(dataPath: missing, logDir: root, epochs: 1, workers: 0)
        XCTAssertThrowsError(try Trainer(options: options, output: { _ in })) { error in
            XCTAssertTrue("\(error)".contains(missing.path), "\(error)")
        }
    }

    func testMissingSplitNamesTheSplitFile() throws {
        let root = TrainerWorldFixture.scratchFolder("nosplit")
        defer { try? FileManager.default.removeItem(at: root) }
        // A data folder without splits/synthetic/.
        let options = TrainerWorldFixture.options(dataPath: root, logDir: root, epochs: 1, workers: 0)
        XCTAssertThrowsError(try Trainer(options: options, output: { _ in })) { error in
            let expected = root.appendingPathComponent("splits/synthetic/train_files.txt").path
            XCTAssertTrue("\(error)".contains(expected), "\(error)")
        }
    }

    func testUndecodableImageNamesTheFile() throws {
        let world = try TrainerWorldFixture.world.get()
        let root = TrainerWorldFixture.scratchFolder("decode")
        defer { try? FileManager.default.removeItem(at: root) }
        let copy = root.appendingPathComponent("world")
        try FileManager.default.copyItem(at: world, to: copy)
        // Every training line of the first drive reads its frame 5 (as target or neighbour) at some point.
        let lines = try String(contentsOf: copy.appendingPathComponent("splits/synthetic/train_files.txt"), encoding: .utf8)
        let first = try XCTUnwrap(lines.split(separator: "\n").first?.split(separator: " ").first)
        let broken = copy.appendingPathComponent(String(first)).appendingPathComponent("image_02/data/0000000005.jpg")
        XCTAssertTrue(FileManager.default.fileExists(atPath: broken.path), broken.path)
        try Data("not a jpeg".utf8).write(to: broken)
        var options = TrainerWorldFixture.options(dataPath: copy, logDir: root, epochs: 1, workers: 2)
        options.maxBadFrames = 0  // by default one bad image is skipped (BadFramesTrainingTests)
        let trainer = try Trainer(options: options, output: { _ in }, progressBar: Progress.Output(isTerminal: false) { _ in })
        XCTAssertThrowsError(try trainer.train()) { error in
            XCTAssertTrue("\(error)".contains(broken.path), "\(error)")
        }
        // Nothing half-done is left as a weights folder.
        let models = root.appendingPathComponent("tiny/models")
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: models.path)) ?? []
        XCTAssertFalse(folders.contains { $0.hasPrefix("weights_") }, "\(folders)")
    }

    func testDivergenceMessageNamesEpochStepAndLastGoodFolder() {
        let error = TrainerError.diverged(epoch: 3, step: 1234, what: "the loss (nan)", lastGood: "/runs/mdp/models/weights_2")
        XCTAssertEqual("\(error)", "training diverged at epoch 3, step 1234: the loss (nan) is not finite; nothing was saved "
            + "from this point; the last good weights are in /runs/mdp/models/weights_2 (continue with --resume "
            + "/runs/mdp/models/weights_2, e.g. at a lower --learning_rate)")
    }
}
