import Foundation

/// Turns a library's `(label, done, total)` progress calls (a running count, per item or per
/// batch) into `Progress` lines on standard error: a new bar at `done == 0`, finished at
/// `done == total`. Thread-safe.
public final class ProgressBars: @unchecked Sendable {
    private let lock = NSLock()
    private var current: [String: Progress] = [:]
    private var reported: [String: Int] = [:]

    public init() {}

    public func update(_ label: String, _ done: Int, _ total: Int) {
        lock.lock()
        defer { lock.unlock() }
        if done == 0 || current[label] == nil {
            current[label]?.finish()
            current[label] = Progress(total: total, label: label)
            reported[label] = 0
        }
        // Callers report a running count (one per item, or one per batch of items).
        let step = done - (reported[label] ?? 0)
        if step > 0 { current[label]?.advance(by: step) }
        reported[label] = done
        if done >= total {
            current[label]?.finish()
            current[label] = nil
            reported[label] = nil
        }
    }
}
