import Dispatch
import Foundation

/// A progress line for long work, on standard error: `label 123/697 (17.6%) 45.2/s ETA 0:12`.
///
/// On a terminal the line is redrawn in place (`\r`, at most `terminalInterval` apart); otherwise (CI
/// logs, pipes) each update is a new line, at most `logInterval` apart. `finish()` prints the final line
/// with the total time. Thread-safe: `advance` may be called from worker threads.
///
/// ```swift
/// let progress = Progress(total: files.count, label: "evaluating")
/// for file in files { try process(file); progress.advance() }
/// progress.finish()
/// ```
public final class Progress: @unchecked Sendable {
    /// Where the text goes and how it is redrawn.
    public struct Output: Sendable {
        /// Receives raw text (including `\r` and `\n`).
        public var write: @Sendable (String) -> Void
        /// Redraw in place (terminal) or one line per update (log).
        public var isTerminal: Bool

        public init(isTerminal: Bool, write: @escaping @Sendable (String) -> Void) {
            self.isTerminal = isTerminal
            self.write = write
        }

        /// Standard error; a terminal when `isatty(2)`.
        public static var standardError: Output {
            Output(isTerminal: isatty(2) == 1) { writeStandardError($0) }
        }
    }

    public let total: Int
    public let label: String
    private let output: Output
    private let clock: @Sendable () -> Double
    private let interval: Double
    private let lock = NSLock()
    private let start: Double
    private var completed = 0
    private var lastDraw = -Double.infinity
    private var lastWidth = 0
    private var finished = false

    /// - Parameters:
    ///   - total: number of items (0 is allowed: the line shows 100%).
    ///   - clock: seconds on any monotonic scale (injected by tests).
    ///   - terminalInterval, logInterval: minimum seconds between redraws on a terminal / in a log.
    public init(total: Int, label: String, output: Output = .standardError,
                clock: @escaping @Sendable () -> Double = Progress.monotonicSeconds,
                terminalInterval: Double = 0.1, logInterval: Double = 5) {
        self.total = max(total, 0)
        self.label = label
        self.output = output
        self.clock = clock
        interval = output.isTerminal ? terminalInterval : logInterval
        start = clock()
    }

    /// Records `count` more finished items and redraws if the last draw is older than the interval.
    public func advance(by count: Int = 1) {
        lock.lock()
        defer { lock.unlock() }
        guard !finished else { return }
        completed += count
        let now = clock()
        if now - lastDraw >= interval {
            lastDraw = now
            draw(Self.line(label: label, completed: completed, total: total, elapsed: now - start, finished: false))
        }
    }

    /// Prints the final line (count, rate and total time) and ends it with a newline. Idempotent.
    public func finish() {
        lock.lock()
        defer { lock.unlock() }
        guard !finished else { return }
        finished = true
        draw(Self.line(label: label, completed: completed, total: total, elapsed: clock() - start, finished: true))
        if output.isTerminal { output.write("\n") }
    }

    private func draw(_ line: String) {
        if output.isTerminal {
            // Pad with spaces over a longer previous line instead of relying on escape codes.
            let padding = String(repeating: " ", count: max(0, lastWidth - line.count))
            lastWidth = line.count
            output.write("\r" + line + padding)
        } else {
            output.write(line + "\n")
        }
    }

    /// The progress line for `completed` of `total` items after `elapsed` seconds, e.g.
    /// `evaluating 123/697 (17.6%) 45.2/s ETA 0:12`, or when finished `evaluating 697/697 (100.0%) 45.2/s in 0:15`.
    public static func line(label: String, completed: Int, total: Int, elapsed: Double, finished: Bool) -> String {
        let fraction = total > 0 ? Double(completed) / Double(total) : 1
        let percent = String(format: "%.1f%%", 100 * min(max(fraction, 0), 1))
        let rate = elapsed > 0 ? Double(completed) / elapsed : 0
        var text = "\(label) \(completed)/\(total) (\(percent)) \(rateText(rate))"
        if finished {
            text += " in " + duration(elapsed)
        } else {
            let remaining = max(total - completed, 0)
            text += " ETA " + (rate > 0 ? duration(Double(remaining) / rate) : "--:--")
        }
        return text
    }

    /// Items per second with 3 significant digits (`45.2/s`), or seconds per item below 1/s (`2.50 s/it`).
    public static func rateText(_ rate: Double) -> String {
        if rate <= 0 || !rate.isFinite { return "-/s" }
        if rate < 1 { return String(format: "%.2f s/it", 1 / rate) }
        if rate < 10 { return String(format: "%.2f/s", rate) }
        if rate < 100 { return String(format: "%.1f/s", rate) }
        return String(format: "%.0f/s", rate)
    }

    /// `m:ss` below an hour, `h:mm:ss` above; whole seconds, rounded, at least 1 for a positive time.
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "--:--" }
        let whole = seconds > 0 ? max(Int(seconds.rounded()), 1) : 0
        let hours = whole / 3600, minutes = (whole % 3600) / 60, rest = whole % 60
        if hours > 0 { return String(format: "%d:%02d:%02d", hours, minutes, rest) }
        return String(format: "%d:%02d", minutes, rest)
    }

    /// Seconds since an arbitrary start, from the monotonic clock.
    @Sendable public static func monotonicSeconds() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds) / 1e9
    }
}
