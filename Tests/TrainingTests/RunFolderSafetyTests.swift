import Foundation
import Options
import XCTest
@testable import Training

/// The run folder's lock, the `--resume` flag check and the resume command, in process (fast: no
/// training; the processes of `train` are in `TrainProcessSafetyTests`).
final class RunFolderSafetyTests: XCTestCase {
    /// A second lock on the same folder fails at once naming the folder and the holder's PID; once the
    /// holder lets go (as the kernel does when a process dies) a new lock is taken.
    func testSecondLockFailsNamingFolderAndPID() throws {
        let root = TrainerWorldFixture.scratchFolder("lock")
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent("logs/run")  // created by the lock
        var first: RunFolderLock? = try RunFolderLock(folder: folder)
        XCTAssertNotNil(first)
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent(RunFolderLock.fileName), encoding: .utf8), "\(getpid())\n")
        let start = Date()
        XCTAssertThrowsError(try RunFolderLock(folder: folder)) { error in
            XCTAssertEqual(error as? TrainerError, .runFolderLocked(folder: folder.path, holder: getpid()))
            let text = "\(error)"
            XCTAssertTrue(text.contains(folder.path) && text.contains("PID \(getpid())"), text)
        }
        print(String(format: "[lock] second lock refused after %.4f s", Date().timeIntervalSince(start)))
        first = nil
        XCTAssertNoThrow(try RunFolderLock(folder: folder))
    }

    /// A log_dir under a file: one line naming the run folder and the cause.
    func testUnusableRunFolderIsNamed() throws {
        let root = TrainerWorldFixture.scratchFolder("lock-file")
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("not-a-folder")
        try Data().write(to: file)
        let folder = file.appendingPathComponent("run")
        XCTAssertThrowsError(try RunFolderLock(folder: folder)) { error in
            guard case let .runFolderUnusable(named, cause)? = error as? TrainerError else { return XCTFail("\(error)") }
            XCTAssertEqual(named, folder.path)
            XCTAssertTrue(cause.contains("cannot create"), cause)
        }
    }

    /// A trainer on a folder another trainer holds stops before reading any data.
    func testTrainerRefusesALockedRunFolder() throws {
        let world = try TrainerWorldFixture.world.get()
        let root = TrainerWorldFixture.scratchFolder("lock-trainer")
        defer { try? FileManager.default.removeItem(at: root) }
        let options = TrainerWorldFixture.options(dataPath: world, logDir: root, epochs: 1, workers: 0)
        let held = try RunFolderLock(folder: root.appendingPathComponent("tiny"))
        XCTAssertThrowsError(try TrainerWorldFixture.train(options)) { error in
            XCTAssertEqual(error as? TrainerError, .runFolderLocked(folder: held.folder.path, holder: getpid()))
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent("tiny/models").path))
    }

    /// A fake resumable run trained at 64×96 (opt.json and a weights_0 with its trainer_state.json).
    private func fakeRun(in root: URL, world: URL) throws -> (options: MonodepthOptions, weights: URL) {
        let options = TrainerWorldFixture.options(dataPath: world, logDir: root, epochs: 1, workers: 0)
        let opt = try OptJSON.write(options)
        let weights = opt.deletingLastPathComponent().appendingPathComponent("weights_0")
        try FileManager.default.createDirectory(at: weights, withIntermediateDirectories: true)
        try TrainerState(epoch: 0, globalStep: 5, seed: 11).encoded().write(to: weights.appendingPathComponent(TrainerState.fileName))
        return (options, weights)
    }

    /// `--resume` with another --height (and --width, --scales) fails naming each flag with both values;
    /// opt.json is left as it was.
    func testResumeWithOtherShapeFlagsFails() throws {
        let world = try TrainerWorldFixture.world.get()
        let root = TrainerWorldFixture.scratchFolder("resume-shape")
        defer { try? FileManager.default.removeItem(at: root) }
        var (options, weights) = try fakeRun(in: root, world: world)
        let optFile = weights.deletingLastPathComponent().appendingPathComponent("opt.json")
        let before = try Data(contentsOf: optFile)
        options.resume = root.appendingPathComponent("tiny").path
        options.height = 96
        options.numEpochs = 2
        XCTAssertThrowsError(try TrainerWorldFixture.train(options)) { error in
            XCTAssertEqual(error as? TrainerError, .resumeDiffers(folder: weights.path, differences: [
                .init(flag: "height", run: "64", now: "96")]))
            XCTAssertTrue("\(error)".contains("--height 64 (now 96)"), "\(error)")
        }
        options.width = 192
        options.scales = [0, 1]
        options.useStereo = false
        XCTAssertThrowsError(try ResumeAgreement.check(options, weightsFolder: weights)) { error in
            XCTAssertEqual((error as? TrainerError).map { "\($0)" }.map { text in
                ["--height 64 (now 96)", "--width 96 (now 192)", "--scales 0 1 2 3 (now 0 1)", "--use_stereo true (now false)",
                 "--frame_ids 0 -1 1 s (now 0 -1 1)"].filter { !text.contains($0) } }, [], "\(error)")
        }
        XCTAssertEqual(try Data(contentsOf: optFile), before, "opt.json was rewritten")
    }

    /// Flags that may change are reported as notes, and nothing else.
    func testFlagsThatMayChangeAreNoted() throws {
        let world = try TrainerWorldFixture.world.get()
        let root = TrainerWorldFixture.scratchFolder("resume-notes")
        defer { try? FileManager.default.removeItem(at: root) }
        var (options, weights) = try fakeRun(in: root, world: world)
        XCTAssertEqual(try ResumeAgreement.check(options, weightsFolder: weights), [])
        options.numEpochs = 3
        options.learningRate = 5e-5
        options.numWorkers = 2
        XCTAssertEqual(try ResumeAgreement.check(options, weightsFolder: weights), [
            "note: resuming with --num_epochs 1 (now 3)", "note: resuming with --learning_rate 0.0001 (now 5e-05)",
            "note: resuming with --num_workers 0 (now 2)"])
    }

    /// The command printed on SIGINT: the same arguments, any earlier --resume replaced, quoted for a shell.
    func testResumeCommand() {
        XCTAssertEqual(ResumeCommand.line(arguments: ["train", "--resume", "old", "--height", "64", "--model_name=a b"],
                                          resumeFrom: "logs/run/models/weights_0"),
                       "train --height 64 '--model_name=a b' --resume logs/run/models/weights_0")
        XCTAssertEqual(ResumeCommand.line(arguments: ["./train", "--resume=x", "--log_dir", "it's"], resumeFrom: "w"),
                       "./train --log_dir 'it'\\''s' --resume w")
    }
}
