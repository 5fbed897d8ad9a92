import Foundation
import TestSupport
import XCTest
@testable import Training

/// The `train` binary as a process on the tiny world: one run per folder (a second run fails at once
/// naming the folder and the holder's PID; after `kill -9` of the holder a new run starts), and a
/// SIGINT mid-epoch (raised in the process at a set step through `MD2_TEST_SIGNAL_AT_STEP`, so no
/// timing decides where it lands) prints the last complete weights folder and the exact `--resume`
/// command, which then ends with the same weights as the uninterrupted run, bit for bit.
final class TrainProcessSafetyTests: XCTestCase {
    private func arguments(world: URL, logDir: String, epochs: Int) -> [String] {
        ["--data_path", world.path, "--split", "synthetic", "--log_dir", logDir, "--model_name", "tiny",
         "--height", "64", "--width", "96", "--batch_size", "2", "--use_stereo", "--weights_init", "scratch",
         "--num_workers", "0", "--seed", "11", "--disable_best_model", "--num_epochs", "\(epochs)"]
    }

    private func describe(_ outcome: ChildProcess) -> String {
        "status \(outcome.status)\nstdout:\n\(outcome.output)\nstderr:\n\(outcome.error)"
    }

    func testOneRunPerFolderAndInterruptedRunResumesBitForBit() throws {
        let world = try TrainerWorldFixture.world.get()
        let train = try Executables.url(named: "train")
        let root = TrainerWorldFixture.scratchFolder("process-safety")
        defer { try? FileManager.default.removeItem(at: root) }
        let runFolder = root.appendingPathComponent("straight/tiny")

        // 1. A long run holds the folder (its PID in train.lock once it has the lock).
        let holder = Process()
        holder.executableURL = train
        holder.arguments = arguments(world: world, logDir: "straight", epochs: 1000)
        holder.currentDirectoryURL = root
        holder.standardOutput = FileHandle.nullDevice
        holder.standardError = FileHandle.nullDevice
        try holder.run()
        defer { if holder.isRunning { kill(holder.processIdentifier, SIGKILL) } }
        let lockFile = runFolder.appendingPathComponent(RunFolderLock.fileName)
        while holder.isRunning, (try? String(contentsOf: lockFile, encoding: .utf8)) != "\(holder.processIdentifier)\n" {
            usleep(20_000)
        }
        XCTAssertTrue(holder.isRunning, "the holder stopped early")

        // 2. A second run on that folder fails at once, naming it and the holder's PID.
        let second = try ChildProcess.run(train, arguments(world: world, logDir: "straight", epochs: 2), in: root)
        print(String(format: "[safety] second run refused after %.2f s: %@", second.seconds, second.error))
        XCTAssertEqual(second.status, 1, describe(second))
        XCTAssertTrue(second.error.contains("straight/tiny") && second.error.contains("PID \(holder.processIdentifier)"), describe(second))

        // 3. kill -9: the kernel drops the lock; a new run in the folder starts (and is the uninterrupted baseline).
        kill(holder.processIdentifier, SIGKILL)
        holder.waitUntilExit()
        let straight = try ChildProcess.run(train, arguments(world: world, logDir: "straight", epochs: 2), in: root)
        XCTAssertEqual(straight.status, 0, describe(straight))

        // 4. SIGINT after step 12 (epoch 1 runs steps 9 to 17): one line naming weights_0 and the command.
        let interrupted = try ChildProcess.run(train, arguments(world: world, logDir: "split", epochs: 2), in: root,
                                               environment: ["MD2_TEST_SIGNAL_AT_STEP": "12"])
        XCTAssertEqual(interrupted.status, 128 + SIGINT, describe(interrupted))
        let lines = interrupted.error.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 1, describe(interrupted))
        let message = try XCTUnwrap(lines.last)
        print("[safety] \(message)")
        let weights0 = root.appendingPathComponent("split/tiny/models/weights_0").path
        XCTAssertTrue(message.hasPrefix("train: stopped by SIGINT at epoch 1, step 12: the last complete weights folder is "), message)
        XCTAssertTrue(message.contains("split/tiny/models/weights_0; continue with: "), message)
        let marker = "; continue with: "
        let command = try XCTUnwrap(message.range(of: marker).map { String(message[$0.upperBound...]) }, message)
        var words = command.split(separator: " ").map(String.init)
        XCTAssertEqual(words.suffix(2).first, "--resume")
        XCTAssertTrue(words.last?.hasSuffix("split/tiny/models/weights_0") == true, command)
        XCTAssertEqual(words.first, train.path)
        words.removeFirst()
        XCTAssertTrue(FileManager.default.fileExists(atPath: weights0 + "/" + TrainerState.fileName))
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent("split/tiny/models/weights_1").path))

        // A second SIGINT exits at once (status 130, no message, nothing saved).
        let twice = try ChildProcess.run(train, arguments(world: world, logDir: "twice", epochs: 2), in: root,
                                         environment: ["MD2_TEST_SIGNAL_AT_STEP": "3*2"])
        XCTAssertEqual(twice.status, 128 + SIGINT, describe(twice))
        XCTAssertFalse(twice.error.contains("stopped by"), describe(twice))
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent("twice/tiny/models/weights_0").path))

        // 5. The printed command ends where the uninterrupted run ended, bit for bit.
        let resumed = try ChildProcess.run(train, words, in: root)
        XCTAssertEqual(resumed.status, 0, describe(resumed))
        let expected = try TrainerWorldFixture.tensors(in: runFolder.appendingPathComponent("models/weights_1"))
        let got = try TrainerWorldFixture.tensors(in: root.appendingPathComponent("split/tiny/models/weights_1"))
        XCTAssertEqual(got.count, expected.count)
        XCTAssertTrue(expected.keys.allSatisfy { got[$0] == expected[$0] }, "the resumed run's weights_1 differs from the uninterrupted one")
    }
}
