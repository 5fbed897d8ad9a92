import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A raw pointer that may cross into worker closures. Kernels own the memory discipline:
/// each chunk writes a disjoint range.
public struct SendablePointer<T>: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<T>
    public init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
}

/// The package's one parallel-for, with a throwing parallel map on top of it.
/// CONTRACT (used by every kernel family): `Parallel.forEach(count, estimatedWork:)` runs `body(i)`
/// for every i in 0..<count, possibly concurrently, and returns when all are done. Small jobs run
/// inline on the caller. Bodies must write disjoint memory.
///
/// Two policies (`Threads`) behind the one API, each for a reason:
/// - `.pool` (the default): one lazily created persistent pool (`WorkerPool`) whose workers spin
///   briefly after each job (a back-to-back job starts in < 1 µs instead of the ~40 µs thread wake-up
///   seen on this VM) and then park. It is exclusive: a call made from inside a running body
///   (nesting), or from another thread while a job is running, runs inline, so nesting never
///   deadlocks. That is right for the kernels: many short jobs in a row from the one compute thread.
/// - `.dispatch`: `DispatchQueue.concurrentPerform`, for coarse per-item work (files, images) that
///   may block on I/O or is started from several threads at once, e.g. the resizes on the data
///   loader's worker threads while the training step runs its kernels. On the pool such work would
///   take the pool from the step's kernels (which would then run on one thread), or run serially
///   whenever it finds the pool busy.
public enum Parallel {
    /// The pool, created on first use with one thread per online core (the caller counts as one).
    /// `MD2_THREADS` in the environment caps it at creation time.
    static let pool: WorkerPool = {
        var threads = processorCount
        if let text = getenv("MD2_THREADS"), let value = Int(String(cString: text)), value >= 1 {
            threads = min(threads, value)
        }
        return WorkerPool(threads: threads)
    }()

    /// Number of threads (caller included) that large jobs are spread over.
    public static var threadCount: Int { pool.threadLimit.load(ordering: .relaxed) }

    /// Number of threads the pool owns (caller included); the upper bound for `setThreadCount`.
    public static var maximumThreadCount: Int { pool.workerCount + 1 }

    /// Caps the threads used by later jobs (clamped to 1...maximumThreadCount), e.g. for
    /// benchmarks (`bench --threads 1`). Takes effect for jobs started after the call.
    public static func setThreadCount(_ count: Int) {
        pool.threadLimit.store(min(max(1, count), maximumThreadCount), ordering: .relaxed)
    }

    /// Work (in flops or bytes touched) below which a job runs inline: about 2 µs of compute, i.e.
    /// a few times the pool's hand-off cost when its workers are awake.
    public static let inlineWorkThreshold = 200_000

    /// Which threads run a job (see the type's comment).
    public enum Threads: Sendable {
        /// The kernels' persistent spinning pool; exclusive (a job started while another runs goes inline).
        case pool
        /// Dispatch's global concurrent threads: for I/O and for callers on several threads at once.
        case dispatch
    }

    /// Runs `body` for each index in `0..<count`. `estimatedWork` is a rough cost of the whole job
    /// in floating-point operations (or bytes touched); small jobs run inline.
    public static func forEach(_ count: Int, estimatedWork: Int = .max, on threads: Threads = .pool,
                               _ body: (Int) -> Void) {
        if count <= 0 { return }
        if count == 1 || estimatedWork < inlineWorkThreshold {
            for index in 0..<count { body(index) }
            return
        }
        switch threads {
        case .pool:
            pool.run(count) { index, _ in body(index) }
        case .dispatch:
            withoutActuallyEscaping(body) { body in
                let shared = UncheckedSendable(body)
                DispatchQueue.concurrentPerform(iterations: count) { shared.value($0) }
            }
        }
    }

    /// Runs `body` over `0..<count` cut into `min(processorCount, count)` contiguous ranges, one job
    /// per range (a single range runs inline).
    public static func forEachRange(_ count: Int, on threads: Threads = .pool, _ body: (Range<Int>) -> Void) {
        let chunks = min(processorCount, count)
        if chunks <= 1 {
            body(0..<count)
            return
        }
        forEach(chunks, on: threads) { chunk in
            body((count * chunk / chunks)..<(count * (chunk + 1) / chunks))
        }
    }

    /// `body(i)` for every i in `0..<count`, concurrently; the results in index order, or the error
    /// of the lowest failing index. `progress(done, total)` is called once at the start and after
    /// each item, one call at a time.
    public static func map<T, E: Error>(_ count: Int, on threads: Threads = .pool,
                                        progress: (@Sendable (Int, Int) -> Void)? = nil,
                                        _ body: @Sendable (Int) throws(E) -> T) throws(E) -> [T] {
        let slots = MapSlots<T, E>(count: count)
        progress?(0, count)
        forEach(count, on: threads) { index in
            let result = Result { () throws(E) -> T in try body(index) }
            slots.store(index, result, progress: progress)
        }
        return try slots.collect()
    }

    /// Like `forEach`, but also passes the executing thread's slot: bodies running concurrently
    /// within one call have distinct slots in `0..<slots`, so per-thread scratch can be indexed by
    /// it. At most `slots` threads take part. Inline execution uses slot 0.
    static func forEachWithSlot(_ count: Int, slots: Int, estimatedWork: Int = .max,
                                _ body: (_ index: Int, _ slot: Int) -> Void) {
        if count <= 0 { return }
        if count == 1 || slots <= 1 || estimatedWork < inlineWorkThreshold {
            for index in 0..<count { body(index, 0) }
            return
        }
        pool.run(count, maxThreads: slots, body)
    }

}

extension Parallel {
    /// The number of online cores, read once (at least 1).
    public static let processorCount: Int = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
}

/// A value that may cross into `concurrentPerform`'s closures; the caller guarantees disjoint writes.
private struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// Per-index results of `Parallel.map`, written by concurrent workers, then collected in order.
private final class MapSlots<T, E: Error>: @unchecked Sendable {
    private var results: [Result<T, E>?]
    /// The number of items stored; its lock also guards `results`.
    private let done = Mutex<Int>(0)

    init(count: Int) { results = Array(repeating: nil, count: count) }

    func store(_ index: Int, _ result: Result<T, E>, progress: (@Sendable (Int, Int) -> Void)?) {
        done.withLock { done in
            results[index] = result
            done += 1
            progress?(done, results.count)
        }
    }

    func collect() throws(E) -> [T] {
        var values: [T] = []
        values.reserveCapacity(results.count)
        for slot in results {
            switch slot {
            case .success(let value): values.append(value)
            case .failure(let error): throw error
            case nil: preconditionFailure("Parallel.map: a result slot was not filled")
            }
        }
        return values
    }
}
