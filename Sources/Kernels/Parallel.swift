#if canImport(Glibc)
import Glibc
#endif

/// A raw pointer that may cross into worker closures. Kernels own the memory discipline:
/// each chunk writes a disjoint range.
public struct SendablePointer<T>: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<T>
    public init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
}

/// Work splitting across the machine's cores.
/// CONTRACT (used by every kernel family): `Parallel.forEach(count, estimatedWork:)` runs `body(i)`
/// for every i in 0..<count, possibly concurrently, and returns when all are done. Small jobs run
/// inline on the caller. A call made from inside a running body (nesting), or from another thread
/// while a job is running, also runs inline, so nesting never deadlocks.
///
/// The threads come from one lazily created persistent pool (`WorkerPool`): workers spin briefly
/// after each job (a back-to-back job starts in < 1 µs instead of the ~40 µs thread wake-up seen on
/// this VM) and then park.
public enum Parallel {
    /// The pool, created on first use with one thread per online core (the caller counts as one).
    /// `MD2_THREADS` in the environment caps it at creation time.
    static let pool: WorkerPool = {
        var threads = System.activeProcessorCount
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

    /// Runs `body` for each index in `0..<count`. `estimatedWork` is a rough cost of the whole job
    /// in floating-point operations (or bytes touched); small jobs run inline.
    public static func forEach(_ count: Int, estimatedWork: Int = .max, _ body: (Int) -> Void) {
        if count <= 0 { return }
        if count == 1 || estimatedWork < inlineWorkThreshold {
            for index in 0..<count { body(index) }
            return
        }
        pool.run(count) { index, _ in body(index) }
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

enum System {
    static var activeProcessorCount: Int {
        #if os(Linux)
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 2
        #endif
    }
}
