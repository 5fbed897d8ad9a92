import CommandLineKit
import Foundation

/// The trainer's console: the original's lines on standard output, and on a terminal a live
/// progress bar on standard error (`epoch 3/20  batch 1200/3317  loss 0.12345  16.4 samples/s
/// ETA 1:23:45`). When standard error is not a terminal there is no bar, so logs and pipes see
/// exactly the original's output. Every stdout line goes through `print(_:)`, which lifts the bar
/// off the line before writing and redraws it after. Thread-safe.
///
/// ```swift
/// let console = TrainingConsole(numEpochs: 20, batchesPerEpoch: 3317, batchSize: 12)
/// console.print("Training")
/// console.update(epoch: 0, batchIndex: i, step: step, loss: loss)   // after every step
/// console.finish()
/// ```
public final class TrainingConsole: @unchecked Sendable {
    private let numEpochs: Int
    private let batchesPerEpoch: Int
    private let batchSize: Int
    private let totalSteps: Int
    private let bar: CommandLineKit.Progress.Output
    private let standardOutput: @Sendable (String) -> Void
    private let clock: @Sendable () -> Double
    private let interval: Double
    private let lock = NSLock()
    /// The first update's time and step: the rate counts this run only (a resumed run starts late).
    private var origin: (time: Double, step: Int)?
    private var lastDraw = -Double.infinity
    private var shownLine: String?
    private var finished = false

    /// - Parameters:
    ///   - bar: where the bar goes; it is drawn only when `bar.isTerminal`.
    ///   - standardOutput: receives each printed line with its newline.
    ///   - clock: monotonic seconds (injected by tests); `interval`: least seconds between redraws.
    public init(numEpochs: Int, batchesPerEpoch: Int, batchSize: Int,
                bar: CommandLineKit.Progress.Output = .standardError,
                standardOutput: @escaping @Sendable (String) -> Void = TrainingConsole.writeStandardOutput,
                clock: @escaping @Sendable () -> Double = CommandLineKit.Progress.monotonicSeconds, interval: Double = 0.1) {
        self.numEpochs = numEpochs
        self.batchesPerEpoch = batchesPerEpoch
        self.batchSize = batchSize
        totalSteps = numEpochs * batchesPerEpoch
        self.bar = bar
        self.standardOutput = standardOutput
        self.clock = clock
        self.interval = interval
    }

    /// Prints `line` and a newline on standard output, keeping the bar below it.
    public func print(_ line: String) {
        lock.lock()
        defer { lock.unlock() }
        let shown = shownLine
        clearBar()
        standardOutput(line + "\n")
        if let shown, !finished { drawBar(shown) }
    }

    /// Records a finished step (`step` = global steps before this one, `batchIndex` within the
    /// epoch) and redraws the bar if the last draw is older than the interval.
    public func update(epoch: Int, batchIndex: Int, step: Int, loss: Float) {
        guard bar.isTerminal else { return }
        lock.lock()
        defer { lock.unlock() }
        guard !finished else { return }
        let now = clock()
        guard let origin else {
            origin = (now, step)
            return drawBar(barLine(epoch: epoch, batchIndex: batchIndex, step: step, loss: loss, samplesPerSecond: 0, remaining: nil))
        }
        guard now - lastDraw >= interval else { return }
        let stepsDone = step - origin.step
        let seconds = now - origin.time
        let stepsPerSecond = seconds > 0 && stepsDone > 0 ? Double(stepsDone) / seconds : 0
        let remaining = stepsPerSecond > 0 ? Double(max(totalSteps - step - 1, 0)) / stepsPerSecond : nil
        drawBar(barLine(epoch: epoch, batchIndex: batchIndex, step: step, loss: loss,
                        samplesPerSecond: stepsPerSecond * Double(batchSize), remaining: remaining))
    }

    /// Removes the bar for good. Idempotent.
    public func finish() {
        lock.lock()
        defer { lock.unlock() }
        clearBar()
        finished = true
    }

    /// The bar's text: 1-based epoch and batch, as a person counts them.
    func barLine(epoch: Int, batchIndex: Int, step: Int, loss: Float, samplesPerSecond: Double, remaining: Double?) -> String {
        let rate = samplesPerSecond > 0 ? String(format: "%.1f", samplesPerSecond) : "-"
        let eta = remaining.map { CommandLineKit.Progress.duration($0) } ?? "--:--"
        return "epoch \(epoch + 1)/\(numEpochs)  batch \(batchIndex + 1)/\(batchesPerEpoch)  loss "
            + TimeLine.fixed(Double(loss), precision: 5) + "  \(rate) samples/s  ETA \(eta)"
    }

    private func drawBar(_ line: String) {
        let padding = String(repeating: " ", count: max(0, (shownLine?.count ?? 0) - line.count))
        bar.write("\r" + line + padding)
        shownLine = line
        lastDraw = clock()
    }

    private func clearBar() {
        guard let shown = shownLine else { return }
        bar.write("\r" + String(repeating: " ", count: shown.count) + "\r")
        shownLine = nil
    }

    /// Writes to standard output, unbuffered, after flushing stdio (so the order with `Swift.print` is kept).
    @Sendable public static func writeStandardOutput(_ text: String) {
        fflush(nil)
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(1, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { return }
            offset += written
        }
    }
}
