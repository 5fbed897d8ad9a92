import ArrayIO
import Foundation
import Options
import TensorCore
import TestSupport
import XCTest
@testable import Networks
@testable import Training

/// `--resume` resolution and `trainer_state.json`.
final class ResumeLocationTests: XCTestCase {
    private func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rl-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testResumeResolution() throws {
        let log = temporaryDirectory()
        let run = RunFolder(log)
        var s = CheckpointTestSnapshot()
        for epoch in [0, 1, 10] {
            s.state.epoch = epoch
            try s.write(to: run.weights(epoch: epoch))
        }
        s.state.epoch = 11
        try s.write(to: run.bestWeights)
        // Not complete or not canonical: ignored.
        for name in ["weights_11", ".weights_12.partial-1-abc", "weights_012"] {
            try FileManager.default.createDirectory(at: run.modelsDirectory.appendingPathComponent(name), withIntermediateDirectories: true)
        }
        XCTAssertEqual(try ResumeLocation.resolve(log.path).folder.lastPathComponent, "weights_10")
        XCTAssertEqual(try ResumeLocation.resolve(log.path).state.nextEpoch, 11)
        XCTAssertEqual(try ResumeLocation.resolve(run.modelsDirectory.path).folder.lastPathComponent, "weights_10")
        XCTAssertEqual(try ResumeLocation.resolve(run.weights(epoch: 1).path).state.epoch, 1)
        XCTAssertEqual(try ResumeLocation.resolve(run.bestWeights.path).state.epoch, 11)

        let missing = log.appendingPathComponent("nope").path
        XCTAssertThrowsError(try ResumeLocation.resolve(missing)) {
            XCTAssertEqual($0 as? TrainingCheckpointError, .resumeNotFound(path: missing))
        }
        let empty = run.modelsDirectory.appendingPathComponent("weights_11").path
        XCTAssertThrowsError(try ResumeLocation.resolve(empty)) {
            XCTAssertEqual($0 as? TrainingCheckpointError, .noWeightsToResume(path: empty))
        }
        // The original trainer's folder: model files, no state.
        let original = temporaryDirectory()
        try WeightsFolder.writeNetworks([(.encoder, TinyCheckpointNet(salt: "x")), (.depth, TinyCheckpointNet(salt: "x"))],
                                        metadata: EncoderMetadata(height: 64, width: 96, useStereo: false), optimizer: nil,
                                        extraFiles: [], to: original)
        XCTAssertThrowsError(try ResumeLocation.resolve(original.path)) {
            XCTAssertEqual($0 as? TrainingCheckpointError, .notResumable(folder: original.path))
            XCTAssertTrue("\($0)".contains("--load_weights_folder"))
        }
    }

    func testStateRoundTripAndBadFiles() throws {
        let state = CheckpointTestSnapshot().state
        let data = try state.encoded()
        XCTAssertEqual(try TrainerState(json: data, file: "s.json"), state)
        XCTAssertTrue(String(decoding: data, as: UTF8.self).contains("\"seed\" : \"0xfffffffffffffffa\""))
        let minimal = TrainerState(epoch: 0, globalStep: 0)
        XCTAssertEqual(try TrainerState(json: try minimal.encoded(), file: "s.json"), minimal)

        for (text, problem) in [
            ("[]", "not a JSON object"),
            ("{", "not a valid trainer state (JSON with integer epoch and global_step)"),
            ("{\"epoch\": 1, \"global_step\": 2}", "no 'format'"),
            ("{\"format\": 2, \"epoch\": 1, \"global_step\": 2}", "format 2; this build reads 1"),
            ("{\"format\": 1, \"epoch\": -1, \"global_step\": 2}", "negative 'epoch'"),
            ("{\"format\": 1, \"epoch\": 1.5, \"global_step\": 2}", "not a valid trainer state (JSON with integer epoch and global_step)"),
            ("{\"format\": 1, \"epoch\": 1, \"global_step\": 2, \"seed\": 42}", "'seed' has the wrong type"),
            ("{\"format\": 1, \"epoch\": 1, \"global_step\": 2, \"seed\": \"42\"}", "'seed' is not a 0x-prefixed 64-bit hex string"),
            ("{\"format\": 1, \"epoch\": 1, \"global_step\": 2, \"random_states\": {\"a\": [\"0x1g\"]}}",
             "random state 'a' holds '0x1g', not a 64-bit hex string"),
        ] {
            XCTAssertThrowsError(try TrainerState(json: Data(text.utf8), file: "s.json")) {
                XCTAssertEqual($0 as? TrainingCheckpointError, .badState(file: "s.json", problem: problem), text)
            }
        }
        var infinite = minimal
        infinite.bestValidationLoss = .infinity
        XCTAssertThrowsError(try infinite.encoded())
    }
}

final class TrainerStateBookkeepingTests: XCTestCase {
    func testBestValidationLoss() {
        var state = TrainerState(epoch: 0, globalStep: 10)
        XCTAssertFalse(state.recordValidation(loss: .nan, epoch: 0))
        XCTAssertTrue(state.recordValidation(loss: 0.5, epoch: 0))
        XCTAssertFalse(state.recordValidation(loss: 0.5, epoch: 1))
        XCTAssertFalse(state.recordValidation(loss: .infinity, epoch: 2))
        XCTAssertTrue(state.recordValidation(loss: 0.25, epoch: 3))
        XCTAssertEqual(state.bestValidationLoss, 0.25)
        XCTAssertEqual(state.bestEpoch, 3)
    }
}
