import Dispatch
import Foundation

/// Independent per-item work (a frame's ground truth, a file check, a PNG write) spread over all
/// cores, results kept in item order.
public enum ParallelMap {
    /// `body(i)` for every i in `0..<count`, concurrently; the results in index order, or the error
    /// of the lowest failing index. `progress(done, total)` is called once at the start and after
    /// each item, one call at a time.
    public static func map<T, E: Error>(_ count: Int, progress: (@Sendable (Int, Int) -> Void)? = nil,
                                        _ body: @Sendable (Int) throws(E) -> T) throws(E) -> [T] {
        let slots = Slots<T, E>(count: count)
        progress?(0, count)
        DispatchQueue.concurrentPerform(iterations: count) { index in
            let result = Result { () throws(E) -> T in try body(index) }
            slots.store(index, result, progress: progress)
        }
        return try slots.collect()
    }
}

/// Per-index results written by concurrent workers, then collected in order.
private final class Slots<T, E: Error>: @unchecked Sendable {
    private var results: [Result<T, E>?]
    private var done = 0
    private let lock = NSLock()

    init(count: Int) { results = Array(repeating: nil, count: count) }

    func store(_ index: Int, _ result: Result<T, E>, progress: (@Sendable (Int, Int) -> Void)?) {
        lock.lock()
        defer { lock.unlock() }
        results[index] = result
        done += 1
        progress?(done, results.count)
    }

    func collect() throws(E) -> [T] {
        var values: [T] = []
        values.reserveCapacity(results.count)
        for slot in results {
            switch slot {
            case .success(let value): values.append(value)
            case .failure(let error): throw error
            case nil: preconditionFailure("ParallelMap: a result slot was not filled")
            }
        }
        return values
    }
}
