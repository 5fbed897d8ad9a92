import Foundation
import Monodepth2
import Monodepth2Training
import Synth
import TestSupport
import XCTest

/// The training facade on a tiny synthetic world: the same weights as the `train` tool with the same
/// command line, progress for every step, `stop()` between steps, typed errors, and silence unless
/// a log is given.
final class TrainingRunTests: XCTestCase {
    static let world: Result<URL, Error> = Result {
        let config = SyntheticWorldConfig(drives: 2, frames: 12, seed: 3, width: 192, height: 64)
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("md2-library-world-192x64-12")
        if !SyntheticWorld.isGenerated(config: config, at: root) {
            _ = try SyntheticWorld.generate(config: config, to: root)
        }
        return root
    }

    func arguments(logDir: URL, name: String) throws -> [String] {
        ["--data_path", try Self.world.get().path, "--log_dir", logDir.path, "--model_name", name,
         "--split", "synthetic", "--height", "64", "--width", "96", "--batch_size", "2", "--num_epochs", "1",
         "--use_stereo", "--weights_init", "scratch", "--num_workers", "1", "--log_frequency", "3", "--seed", "11"]
    }

    func scratch(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("md2-library-\(name)-\(getpid())-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func testRunMatchesTheTrainToolAndReportsEveryStep() throws {
        let root = try scratch("train")
        defer { try? FileManager.default.removeItem(at: root) }
        let tool = try ChildProcess.run(try Executables.url(named: "train"), try arguments(logDir: root, name: "tool"))
        XCTAssertEqual(tool.status, 0, tool.error)

        let run = try TrainingRun(arguments: try arguments(logDir: root, name: "library"))
        XCTAssertEqual(run.folder.path, root.appendingPathComponent("library").path)
        var events: [TrainingEvent] = []
        XCTAssertEqual(try run.run { events.append($0) }, .finished)
        let steps = events.compactMap { event -> TrainingProgress? in
            if case .step(let progress) = event { return progress }
            return nil
        }
        XCTAssertGreaterThan(run.batchesPerEpoch, 1)
        XCTAssertEqual(steps.map(\.step), Array(0..<run.batchesPerEpoch))
        XCTAssertEqual(steps.last?.fractionDone, 1)
        XCTAssertTrue(steps.allSatisfy { $0.loss.isFinite && $0.epochs == 1 && $0.totalSteps == run.batchesPerEpoch })
        XCTAssertEqual(events.dropLast().last, .epochFinished(epoch: 0))
        guard case .validated(epoch: 0, let meanLoss, isBest: true)? = events.last else { return XCTFail("\(events.suffix(2))") }
        XCTAssertTrue(meanLoss.isFinite)

        // The same bytes in every network file as the tool's run.
        for file in ["encoder.pth", "depth.pth", "pose_encoder.pth", "pose.pth"] {
            let ours = root.appendingPathComponent("library/models/weights_0/\(file)")
            let theirs = root.appendingPathComponent("tool/models/weights_0/\(file)")
            XCTAssertEqual(try Data(contentsOf: ours), try Data(contentsOf: theirs), file)
        }
        // The trained weights load into the inference facade.
        let model = try DepthModel(weightsFolder: root.appendingPathComponent("library/models/weights_0"), minDepth: 0.1, maxDepth: 100)
        XCTAssertEqual([model.inputWidth, model.inputHeight], [96, 64])
        XCTAssertTrue(model.trainedWithStereo)
        XCTAssertThrowsError(try run.run()) { error in
            guard case .setupFailed? = error as? TrainingRunError else { return XCTFail("\(error)") }
        }
    }

    func testStopEndsTheRunAfterTheCurrentStep() throws {
        let root = try scratch("stop")
        defer { try? FileManager.default.removeItem(at: root) }
        let lines = LockedLines()
        let run = try TrainingRun(arguments: try arguments(logDir: root, name: "stopped"), log: { lines.append($0) })
        XCTAssertTrue(lines.text.contains("Training model named:\n   stopped\n"), lines.text)
        let outcome = try run.run { event in
            if case .step(let progress) = event, progress.step == 1 { run.stop() }
        }
        XCTAssertEqual(outcome, .stopped(steps: 2))
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent("stopped/models/weights_0").path))
    }

    func testBadArgumentsAreTypedErrors() throws {
        XCTAssertThrowsError(try TrainingRun(arguments: ["--height", "100"])) { error in
            guard let error = error as? TrainingRunError else { return XCTFail("\(error)") }
            XCTAssertTrue(error.description.contains("height"), error.description)
        }
        XCTAssertThrowsError(try TrainingRun(arguments: ["--no_such_flag"])) { error in
            guard case .invalidArguments(let message)? = error as? TrainingRunError else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("no_such_flag"), message)
        }
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("md2-library-no-data-\(getpid())")
        XCTAssertThrowsError(try TrainingRun(arguments: ["--data_path", missing.path, "--split", "synthetic",
                                                         "--log_dir", missing.path, "--weights_init", "scratch"])) { error in
            guard case .setupFailed(let message)? = error as? TrainingRunError else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains(missing.path), message)
        }
    }
}

/// Text collected from the log callback, thread-safely.
final class LockedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var collected = ""

    func append(_ chunk: String) { lock.withLock { collected += chunk } }
    var text: String { lock.withLock { collected } }
}
