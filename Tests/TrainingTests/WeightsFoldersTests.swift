import ArrayIO
import Foundation
import Networks
import TensorCore
import TestSupport
import XCTest
@testable import Training

/// Weights folders: whole or nothing, never non-finite, restored bit for bit; `--resume` resolution.
final class WeightsFoldersTests: XCTestCase {
    private func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("wf-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    private func contents(_ url: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted()
    }

    func testSavedFolderRestoresBitForBit() throws {
        let folders = WeightsFolders(logPath: temporaryDirectory())
        let saved = checkpointTestSnapshot()
        let url = try folders.save(saved, as: .epoch(3))
        XCTAssertEqual(url.lastPathComponent, "weights_3")
        XCTAssertEqual(contents(folders.modelsDirectory), ["weights_3"])
        XCTAssertEqual(contents(url), ["adam.pth", "depth.pth", "encoder.pth", "trainer_state.json"])
        let encoderFile = try StateDict.read(contentsOf: url.appendingPathComponent("encoder.pth"))
        XCTAssertEqual(encoderFile.extra("height"), .int(64))
        XCTAssertEqual(encoderFile.extra("width"), .int(96))
        XCTAssertEqual(encoderFile.extra("use_stereo"), .bool(true))
        XCTAssertNil(try StateDict.read(contentsOf: url.appendingPathComponent("depth.pth")).extra("height"))

        let fresh = checkpointTestSnapshot(salt: "other")
        let state = try WeightsFolders.restore(models: fresh.models, optimizer: fresh.optimizer, from: url)
        XCTAssertEqual(state, saved.state)
        for (a, b) in zip(saved.models, fresh.models) {
            for (x, y) in zip(a.module.stateEntries(), b.module.stateEntries()) {
                XCTAssertEqual(x.key, y.key)
                XCTAssertEqual(NDArray(x.value), NDArray(y.value), x.key)
            }
        }
        XCTAssertEqual(fresh.optimizer.states.map { $0?.step }, saved.optimizer.states.map { $0?.step })
        XCTAssertNil(fresh.optimizer.states.last!)
        for (x, y) in zip(saved.optimizer.states, fresh.optimizer.states) {
            guard let x, let y else { continue }
            XCTAssertEqual(x.expAvg.scalars(), y.expAvg.scalars())
            XCTAssertEqual(x.expAvgSq.scalars(), y.expAvgSq.scalars())
        }
    }

    /// A failure after any file leaves neither weights_N nor a temporary folder.
    func testFailureMidWriteLeavesNoFolder() throws {
        struct Injected: Error {}
        for failing in ["encoder.pth", "depth.pth", "adam.pth", TrainerState.fileName] {
            let folders = WeightsFolders(logPath: temporaryDirectory())
            XCTAssertThrowsError(try folders.save(checkpointTestSnapshot(), as: .epoch(0)) { (file: String) throws(TrainingCheckpointError) in
                if file == failing { throw .fileSystem(path: file, problem: "injected") }
            }) { error in
                XCTAssertEqual(error as? TrainingCheckpointError, .fileSystem(path: failing, problem: "injected"))
            }
            XCTAssertEqual(contents(folders.modelsDirectory), [], "after failing at \(failing)")
        }
    }

    /// A killed save's hidden folder is removed by the next save once its process is gone.
    func testLeftoversOfDeadRunsAreRemoved() throws {
        let folders = WeightsFolders(logPath: temporaryDirectory())
        let dead = folders.modelsDirectory.appendingPathComponent(".weights_4.partial-2147483-abcdef12")
        let live = folders.modelsDirectory.appendingPathComponent(".weights_4.partial-\(getpid() == 1 ? 2 : 1)-abcdef12")
        for url in [dead, live] { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
        try folders.save(checkpointTestSnapshot(), as: .epoch(5))
        XCTAssertEqual(contents(folders.modelsDirectory), [live.lastPathComponent, "weights_5"])
    }

    /// Replacing a folder: a failed save keeps the old one; a good one replaces it completely.
    func testReplacingAFolder() throws {
        let folders = WeightsFolders(logPath: temporaryDirectory())
        var first = checkpointTestSnapshot()
        first.state.globalStep = 1
        try folders.save(first, as: .best)
        var second = checkpointTestSnapshot(salt: "b")
        second.state.globalStep = 2
        XCTAssertThrowsError(try folders.save(second, as: .best) { (file: String) throws(TrainingCheckpointError) in
            if file == "adam.pth" { throw .fileSystem(path: file, problem: "injected") }
        })
        XCTAssertEqual(try TrainerState.read(from: folders.url(.best)).globalStep, 1)
        try folders.save(second, as: .best)
        XCTAssertEqual(try TrainerState.read(from: folders.url(.best)).globalStep, 2)
        XCTAssertEqual(contents(folders.modelsDirectory), ["weights_best"])
        let depth = try StateDict.read(contentsOf: folders.url(.best).appendingPathComponent("depth.pth"))
        XCTAssertEqual(depth["conv.weight"], NDArray(second.models[1].module.stateEntries()[0].value))
    }

    func testNonFiniteValuesAreNeverSaved() throws {
        let folders = WeightsFolders(logPath: temporaryDirectory())
        let bad = checkpointTestSnapshot()
        let depth = bad.models[1].module as! CheckpointTestNet
        var values = depth.bn.runningVariance.value.scalars()
        values[2] = .nan
        depth.bn.runningVariance.value = Tensor(shape: [4], scalars: values)
        XCTAssertThrowsError(try folders.save(bad, as: .epoch(5))) { error in
            XCTAssertEqual(error as? TrainingCheckpointError,
                           .nonFinite(folder: folders.url(.epoch(5)).path, file: "depth.pth", key: "bn.running_var"))
        }
        XCTAssertEqual(contents(folders.modelsDirectory), [])

        let badAdam = checkpointTestSnapshot()
        var moment = badAdam.optimizer.states[1]!
        var squares = moment.expAvgSq.scalars()
        squares[0] = .infinity
        moment.expAvgSq = Tensor(shape: moment.expAvgSq.shape, scalars: squares)
        badAdam.optimizer.states[1] = moment
        XCTAssertThrowsError(try folders.save(badAdam, as: .epoch(5))) { error in
            XCTAssertEqual(error as? TrainingCheckpointError,
                           .nonFinite(folder: folders.url(.epoch(5)).path, file: "adam.pth", key: "state.1.exp_avg_sq"))
        }
        XCTAssertEqual(contents(folders.modelsDirectory), [])
    }

    func testResumeResolution() throws {
        let log = temporaryDirectory()
        let folders = WeightsFolders(logPath: log)
        var s = checkpointTestSnapshot()
        for epoch in [0, 1, 10] {
            s.state.epoch = epoch
            try folders.save(s, as: .epoch(epoch))
        }
        s.state.epoch = 11
        try folders.save(s, as: .best)
        // Not complete or not canonical: ignored.
        for name in ["weights_11", ".weights_12.partial-1-abc", "weights_012"] {
            try FileManager.default.createDirectory(at: folders.modelsDirectory.appendingPathComponent(name), withIntermediateDirectories: true)
        }
        XCTAssertEqual(try ResumeLocation.resolve(log.path).folder.lastPathComponent, "weights_10")
        XCTAssertEqual(try ResumeLocation.resolve(log.path).state.nextEpoch, 11)
        XCTAssertEqual(try ResumeLocation.resolve(folders.modelsDirectory.path).folder.lastPathComponent, "weights_10")
        XCTAssertEqual(try ResumeLocation.resolve(folders.url(.epoch(1)).path).state.epoch, 1)
        XCTAssertEqual(try ResumeLocation.resolve(folders.url(.best).path).state.epoch, 11)

        let missing = log.appendingPathComponent("nope").path
        XCTAssertThrowsError(try ResumeLocation.resolve(missing)) {
            XCTAssertEqual($0 as? TrainingCheckpointError, .resumeNotFound(path: missing))
        }
        let empty = folders.modelsDirectory.appendingPathComponent("weights_11").path
        XCTAssertThrowsError(try ResumeLocation.resolve(empty)) {
            XCTAssertEqual($0 as? TrainingCheckpointError, .noWeightsToResume(path: empty))
        }
        // The original trainer's folder: model files, no state.
        let original = temporaryDirectory()
        try FileManager.default.createDirectory(at: original, withIntermediateDirectories: true)
        try ModelFolder(original).save(CheckpointTestNet(salt: "x"), as: .depth)
        try ModelFolder(original).save(CheckpointTestNet(salt: "x"), as: .encoder)
        XCTAssertThrowsError(try ResumeLocation.resolve(original.path)) {
            XCTAssertEqual($0 as? TrainingCheckpointError, .notResumable(folder: original.path))
            XCTAssertTrue("\($0)".contains("--load_weights_folder"))
        }
    }

    func testStateRoundTripAndBadFiles() throws {
        let state = checkpointTestSnapshot().state
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

    func testDivergenceMessageNamesWhereAndTheLastGoodFolder() {
        XCTAssertEqual(DivergenceError(epoch: 3, step: 1234, loss: .nan, lastGoodFolder: "/logs/m/models/weights_2").description,
                       "training diverged: the loss is nan at epoch 3, step 1234; stopped. Last good weights: "
                       + "/logs/m/models/weights_2 (continue with --resume /logs/m/models/weights_2)")
        XCTAssertEqual(DivergenceError(epoch: 0, step: 7, loss: -.infinity, lastGoodFolder: nil).description,
                       "training diverged: the loss is -inf at epoch 0, step 7; stopped (no weights were saved before it)")
    }
}
