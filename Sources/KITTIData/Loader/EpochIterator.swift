import Foundation

/// One pass over a `DataLoader`'s plan. Batches come out in plan order; worker threads build them
/// ahead (bounded). A failing item stops the epoch: `next()` throws its error. Dropping the
/// iterator stops the workers.
public final class EpochIterator: @unchecked Sendable {
    public let epoch: Int
    private let loader: DataLoader
    private let queue: BatchQueue
    /// Resampling tables for `numWorkers == 0`.
    private lazy var inlineCache = loader.makeResampleCache()
    private var inlineNext = 0

    init(loader: DataLoader, epoch: Int) {
        self.loader = loader
        self.epoch = epoch
        let plan = loader.plan(epoch: epoch)
        queue = BatchQueue(plan: plan, capacity: max(1, loader.numWorkers) * loader.prefetch)
        for _ in 0..<loader.numWorkers {
            let queue = self.queue
            let thread = Thread { [loader] in
                let cache = loader.makeResampleCache()
                while let (number, indices) = queue.claim() {
                    let result = Result { () throws(KITTIDataError) -> Batch in
                        try loader.build(indices, epoch: epoch, resampleCache: cache)
                    }
                    queue.deliver(number, result)
                }
            }
            thread.stackSize = 8 << 20
            thread.name = "md2-loader"
            thread.start()
        }
    }

    deinit {
        queue.cancel()
    }

    /// Batches in this epoch.
    public var count: Int { queue.plan.count }

    /// The next batch, or nil at the end of the epoch.
    public func next() throws(KITTIDataError) -> Batch? {
        if loader.numWorkers == 0 {
            guard inlineNext < queue.plan.count else { return nil }
            inlineNext += 1
            return try loader.build(queue.plan[inlineNext - 1], epoch: epoch, resampleCache: inlineCache)
        }
        return try queue.take()
    }
}

/// The bounded hand-off between workers and the consumer: workers claim batch numbers in order
/// (never more than `capacity` ahead of the consumer) and deliver results; the consumer takes
/// them in order.
final class BatchQueue: @unchecked Sendable {
    let plan: [[Int]]
    private let capacity: Int
    private let condition = NSCondition()
    private var nextToClaim = 0
    private var nextToTake = 0
    private var ready: [Int: Result<Batch, KITTIDataError>] = [:]
    private var cancelled = false

    init(plan: [[Int]], capacity: Int) {
        self.plan = plan
        self.capacity = capacity
    }

    /// The next batch to build, or nil when there is none left (or the epoch was abandoned).
    func claim() -> (Int, [Int])? {
        condition.lock()
        defer { condition.unlock() }
        while !cancelled && nextToClaim < plan.count && nextToClaim >= nextToTake + capacity { condition.wait() }
        guard !cancelled, nextToClaim < plan.count else { return nil }
        nextToClaim += 1
        return (nextToClaim - 1, plan[nextToClaim - 1])
    }

    func deliver(_ number: Int, _ result: Result<Batch, KITTIDataError>) {
        condition.lock()
        defer { condition.unlock() }
        ready[number] = result
        if case .failure = result { nextToClaim = plan.count }  // build nothing more
        condition.broadcast()
    }

    func take() throws(KITTIDataError) -> Batch? {
        condition.lock()
        defer { condition.unlock() }
        guard nextToTake < plan.count else { return nil }
        while ready[nextToTake] == nil { condition.wait() }
        let result = ready.removeValue(forKey: nextToTake)!
        nextToTake += 1
        condition.broadcast()
        switch result {
        case .success(let batch): return batch
        case .failure(let error):
            nextToTake = plan.count
            throw error
        }
    }

    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}
