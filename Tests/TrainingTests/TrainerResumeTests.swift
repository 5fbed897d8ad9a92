import Foundation
import Options
import XCTest
@testable import Training

/// Exact resume and worker-count independence, end to end on the tiny synthetic world: 2 epochs
/// straight equal 1 epoch plus `--resume` for 1 more, bit for bit, whatever `--num_workers` is.
final class TrainerResumeTests: XCTestCase {
    func testResumedRunEqualsTheUninterruptedOneBitForBit() throws {
        let world = try TrainerWorldFixture.world.get()
        let root = TrainerWorldFixture.scratchFolder("resume")
        defer { try? FileManager.default.removeItem(at: root) }

        let straightLog = root.appendingPathComponent("straight")
        let printed = try TrainerWorldFixture.train(TrainerWorldFixture.options(dataPath: world, logDir: straightLog, epochs: 2, workers: 0))
        XCTAssertTrue(printed.contains("Training"), printed.joined(separator: "\n"))
        let straight = straightLog.appendingPathComponent("tiny/models/weights_1")
        let straightWeights = try TrainerWorldFixture.tensors(in: straight)
        let straightState = try TrainerState.read(from: straight)
        XCTAssertEqual(straightState.epoch, 1)

        // Same worker count; then another worker count for each part.
        for (first, second) in [(0, 0), (2, 3)] {
            let log = root.appendingPathComponent("split-\(first)-\(second)")
            try TrainerWorldFixture.train(TrainerWorldFixture.options(dataPath: world, logDir: log, epochs: 1, workers: first))
            let stopped = log.appendingPathComponent("tiny/models/weights_0")
            XCTAssertNotEqual(try TrainerWorldFixture.tensors(in: stopped), straightWeights, "epoch 0 must differ from epoch 1")
            let lines = try TrainerWorldFixture.train(TrainerWorldFixture.options(
                dataPath: world, logDir: log, epochs: 2, workers: second, resume: log.appendingPathComponent("tiny").path))
            XCTAssertTrue(lines.contains { $0.hasPrefix("resuming from folder \(stopped.path)") }, lines.joined(separator: "\n"))
            // Only flags that may change differ, each noted (the run-defining ones are checked in RunFolderSafetyTests).
            let notes = ["note: resuming with --num_epochs 1 (now 2)"] + (first == second ? [] : ["note: resuming with --num_workers \(first) (now \(second))"])
            XCTAssertEqual(lines.filter { $0.hasPrefix("note:") }, notes)
            let resumed = log.appendingPathComponent("tiny/models/weights_1")
            let resumedWeights = try TrainerWorldFixture.tensors(in: resumed)
            XCTAssertEqual(resumedWeights.count, straightWeights.count)
            let different = straightWeights.keys.sorted().filter { resumedWeights[$0] != straightWeights[$0] }
            XCTAssertTrue(different.isEmpty, "workers \(first)+\(second): \(different.count) tensors differ, e.g. \(different.prefix(3))")
            XCTAssertEqual(try Data(contentsOf: resumed.appendingPathComponent("adam.pth")),
                           try Data(contentsOf: straight.appendingPathComponent("adam.pth")), "adam.pth, workers \(first)+\(second)")
            XCTAssertEqual(try TrainerState.read(from: resumed), straightState)
        }
    }
}
