import Foundation

// TEMPORARY progress bar on standard error until CommandLineKit's Progress lands.

/// Draws `label [=====>    ] done/total rate it/s ETA m:ss` on standard error, at most ten
/// times a second, with a final newline when done. Thread-safe.
final class ProgressLine: @unchecked Sendable {
    private let lock = NSLock()
    private var start: Date?
    private var lastDraw = Date.distantPast

    func update(_ label: String, _ done: Int, _ total: Int) {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        if done == 0 || start == nil { start = now }
        guard done == total || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        let elapsed = max(now.timeIntervalSince(start ?? now), 1e-9)
        let rate = Double(done) / elapsed
        let remaining = rate > 0 ? Double(total - done) / rate : 0
        let width = 30
        let filled = total > 0 ? width * done / total : width
        let bar = String(repeating: "=", count: filled) + (filled < width ? ">" + String(repeating: " ", count: width - filled - 1) : "")
        let line = String(format: "\r%@ [%@] %d/%d %.1f it/s ETA %d:%02d", label, bar, done, total, rate,
                          Int(remaining) / 60, Int(remaining) % 60)
        FileHandle.standardError.write(Data((line + (done == total ? "\n" : "")).utf8))
        if done == total { start = nil }
    }
}
