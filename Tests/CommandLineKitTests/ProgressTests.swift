import CommandLineKit
import Foundation
import XCTest

/// Deterministic progress output: the clock and the output are injected.
final class ProgressTests: XCTestCase {
    final class Recorder: @unchecked Sendable {
        private let lock = NSLock()
        private var chunks: [String] = []
        var now = 0.0
        func write(_ text: String) { lock.lock(); chunks.append(text); lock.unlock() }
        var text: String { lock.lock(); defer { lock.unlock() }; return chunks.joined() }
        var writes: Int { lock.lock(); defer { lock.unlock() }; return chunks.count }
    }

    func testLineFormatting() {
        XCTAssertEqual(Progress.line(label: "evaluating", completed: 123, total: 697, elapsed: 2.72, finished: false),
                       "evaluating 123/697 (17.6%) 45.2/s ETA 0:13")
        XCTAssertEqual(Progress.line(label: "evaluating", completed: 697, total: 697, elapsed: 15.4, finished: true),
                       "evaluating 697/697 (100.0%) 45.3/s in 0:15")
        XCTAssertEqual(Progress.line(label: "export", completed: 0, total: 10, elapsed: 0, finished: false),
                       "export 0/10 (0.0%) -/s ETA --:--")
        XCTAssertEqual(Progress.line(label: "empty", completed: 0, total: 0, elapsed: 1, finished: true),
                       "empty 0/0 (100.0%) -/s in 0:01")
    }

    func testRateAndDurationText() {
        XCTAssertEqual(Progress.rateText(0.4), "2.50 s/it")
        XCTAssertEqual(Progress.rateText(3.14159), "3.14/s")
        XCTAssertEqual(Progress.rateText(45.25), "45.2/s")
        XCTAssertEqual(Progress.rateText(1234.5), "1234/s")
        XCTAssertEqual(Progress.rateText(0), "-/s")
        XCTAssertEqual(Progress.duration(0), "0:00")
        XCTAssertEqual(Progress.duration(0.2), "0:01")
        XCTAssertEqual(Progress.duration(59.4), "0:59")
        XCTAssertEqual(Progress.duration(61), "1:01")
        XCTAssertEqual(Progress.duration(3 * 3600 + 25 * 60 + 7), "3:25:07")
        XCTAssertEqual(Progress.duration(.infinity), "--:--")
    }

    func testTerminalModeRedrawsInPlaceAtMostTenTimesPerSecond() {
        let recorder = Recorder()
        let output = Progress.Output(isTerminal: true) { recorder.write($0) }
        let progress = Progress(total: 100, label: "work", output: output, clock: { recorder.now })
        for step in 1...100 {
            recorder.now = Double(step) * 0.01  // 100 items per second, 1 s in all
            progress.advance()
        }
        // Draws at t = 0.01 (first), then whenever 0.1 s have passed: 0.11, 0.21, ..., 0.91.
        XCTAssertEqual(recorder.writes, 10)
        XCTAssertTrue(recorder.text.hasPrefix("\rwork 1/100 (1.0%) 100/s ETA 0:01"))
        XCTAssertFalse(recorder.text.contains("\n"))
        progress.finish()
        progress.finish()  // idempotent
        progress.advance() // ignored after finish
        XCTAssertTrue(recorder.text.hasSuffix("\rwork 100/100 (100.0%) 100/s in 0:01\n"), recorder.text)
    }

    func testLogModePrintsWholeLinesThrottled() {
        let recorder = Recorder()
        let output = Progress.Output(isTerminal: false) { recorder.write($0) }
        let progress = Progress(total: 697, label: "evaluating", output: output, clock: { recorder.now },
                                logInterval: 5)
        for step in 1...697 {
            recorder.now = Double(step) * 0.05  // 20 items/s, 34.85 s
            progress.advance()
        }
        progress.finish()
        let lines = recorder.text.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.last, "", "ends with a newline")
        XCTAssertFalse(recorder.text.contains("\r"))
        // t = 0.05, 5.05, 10.05, ..., 30.05 (7 lines), then the final line.
        XCTAssertEqual(lines.count - 1, 8)
        XCTAssertEqual(lines[0], "evaluating 1/697 (0.1%) 20.0/s ETA 0:35")
        XCTAssertEqual(lines[7], "evaluating 697/697 (100.0%) 20.0/s in 0:35")
    }

    func testAdvanceFromManyThreads() {
        let recorder = Recorder()
        let output = Progress.Output(isTerminal: false) { recorder.write($0) }
        let progress = Progress(total: 1000, label: "parallel", output: output, clock: { 1 }, logInterval: 1e9)
        DispatchQueue.concurrentPerform(iterations: 1000) { _ in progress.advance() }
        progress.finish()
        XCTAssertTrue(recorder.text.hasSuffix("parallel 1000/1000 (100.0%) -/s in 0:00\n"), recorder.text)
    }
}
