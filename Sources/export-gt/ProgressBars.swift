import CommandLineKit
import Foundation

/// Turns the library's `(label, done, total)` progress calls into CommandLineKit progress lines on
/// standard error: a new line at `done == 0`, finished at `done == total`.
final class ProgressBars: @unchecked Sendable {
    private let lock = NSLock()
    private var current: [String: CommandLineKit.Progress] = [:]

    func update(_ label: String, _ done: Int, _ total: Int) {
        lock.lock()
        defer { lock.unlock() }
        if done == 0 || current[label] == nil {
            current[label]?.finish()
            current[label] = CommandLineKit.Progress(total: total, label: label)
        }
        if done > 0 { current[label]?.advance() }
        if done >= total {
            current[label]?.finish()
            current[label] = nil
        }
    }
}
