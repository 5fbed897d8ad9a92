import CommandLineKit
import Foundation
import XCTest
@testable import Training

final class TrainingConsoleTests: XCTestCase {
    /// Collects what the console writes, in order, tagged by stream.
    private final class Recorder: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [String] = []
        var time = 0.0
        func append(_ text: String) { lock.lock(); items.append(text); lock.unlock() }
        var all: [String] { lock.lock(); defer { lock.unlock() }; return items }
    }

    private func console(terminal: Bool, _ recorder: Recorder) -> TrainingConsole {
        TrainingConsole(numEpochs: 2, batchesPerEpoch: 10, batchSize: 12,
                        bar: CommandLineKit.Progress.Output(isTerminal: terminal) { recorder.append("ERR:" + $0) },
                        standardOutput: { recorder.append("OUT:" + $0) },
                        clock: { recorder.time }, interval: 0.1)
    }

    func testNoBarWhenStandardErrorIsNotATerminal() {
        let recorder = Recorder()
        let console = console(terminal: false, recorder)
        console.print("Training")
        for step in 0..<5 {
            recorder.time += 1
            console.update(epoch: 0, batchIndex: step, step: step, loss: 0.5)
        }
        console.finish()
        XCTAssertEqual(recorder.all, ["OUT:Training\n"])
    }

    func testBarShowsProgressAndStepsAsideForLines() {
        let recorder = Recorder()
        let console = console(terminal: true, recorder)
        console.update(epoch: 0, batchIndex: 0, step: 0, loss: 0.25)
        recorder.time = 2  // 4 steps in 2 s: 2 steps/s, 24 samples/s; 15 steps left after step 4
        console.update(epoch: 0, batchIndex: 4, step: 4, loss: 0.125)
        recorder.time = 2.05  // within the interval: not redrawn
        console.update(epoch: 0, batchIndex: 5, step: 5, loss: 0.1)
        console.print("epoch   0 | batch      5 | …")
        console.finish()
        let first = "epoch 1/2  batch 1/10  loss 0.25000  - samples/s  ETA --:--"
        let second = "epoch 1/2  batch 5/10  loss 0.12500  24.0 samples/s  ETA 0:08"
        let blank = String(repeating: " ", count: second.count)
        XCTAssertEqual(recorder.all, [
            "ERR:\r" + first,
            "ERR:\r" + second,
            "ERR:\r" + blank + "\r", "OUT:epoch   0 | batch      5 | …\n", "ERR:\r" + second,
            "ERR:\r" + blank + "\r",
        ])
    }
}
