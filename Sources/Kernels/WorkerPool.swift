import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A persistent pool of worker threads behind `Parallel.forEach`.
///
/// Why not `DispatchQueue.concurrentPerform`: waking an idle thread costs ~40 µs on this VM, which
/// makes every parallel call below ~100 µs of work a loss. Here, after each job the workers spin for
/// a short while (so back-to-back jobs start in well under a microsecond), then park on a semaphore
/// so an idle pool does not burn a core that compilers or other processes need.
///
/// Scheduling: the caller publishes a `Job`, takes part in it, and returns once every index has
/// completed. Workers grab indices dynamically from the job's counter; a worker that wakes late
/// finds the counter exhausted and never touches the (by then dead) body. While a job runs the pool
/// is "busy": any other `run` (a nested call from inside a body, or another thread) executes
/// inline on its caller, which keeps nesting deadlock-free.
final class WorkerPool: @unchecked Sendable {
    /// Threads besides the caller.
    let workerCount: Int
    /// Upper bound on threads taking part in a job (caller included); see `Parallel.setThreadCount`.
    let threadLimit: Atomic<Int>
    /// How long an idle worker spins before parking, in nanoseconds.
    let spinNanoseconds: Int

    private let generation = Atomic<Int>(0)
    private let busy = Atomic<Bool>(false)
    private let slot = Mutex<Job?>(nil)
    private let workers: [Worker]

    /// One unit of published work. Lives as long as any thread still holds it; `body` is cleared by
    /// the caller once `remaining` reaches zero, and only read by threads holding an unfinished index.
    final class Job: @unchecked Sendable {
        let count: Int
        let maxThreads: Int
        var body: ((Int, Int) -> Void)?
        let next = Atomic<Int>(0)
        let remaining: Atomic<Int>
        let joined = Atomic<Int>(1)  // the caller

        init(count: Int, maxThreads: Int, body: @escaping (Int, Int) -> Void) {
            self.count = count
            self.maxThreads = maxThreads
            self.body = body
            self.remaining = Atomic<Int>(count)
        }

        /// Runs indices until none is left.
        func drain(slot: Int) {
            while true {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                if index >= count { return }
                body.unsafelyUnwrapped(index, slot)
                remaining.subtract(1, ordering: .releasing)
            }
        }
    }

    /// Per-thread parking state.
    final class Worker: @unchecked Sendable {
        let sleeping = Atomic<Bool>(false)
        let semaphore = DispatchSemaphore(value: 0)
    }

    init(threads: Int, spinNanoseconds: Int = 200_000) {
        let threads = max(1, threads)
        workerCount = threads - 1
        threadLimit = Atomic<Int>(threads)
        self.spinNanoseconds = spinNanoseconds
        workers = (0..<(threads - 1)).map { _ in Worker() }
        for worker in workers { start(worker) }
    }

    /// Runs `body(i, slot)` for i in 0..<count, using up to `threadLimit` threads, and returns when
    /// all are done. `slot` identifies the executing thread within this job: distinct threads get
    /// distinct slots in 0..<min(threadLimit, count, maxThreads); inline execution uses slot 0.
    func run(_ count: Int, maxThreads: Int = .max, _ body: (_ index: Int, _ slot: Int) -> Void) {
        let limit = min(threadLimit.load(ordering: .relaxed), count, workerCount + 1, maxThreads)
        if limit <= 1 || !busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged {
            for index in 0..<count { body(index, 0) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let job = Job(count: count, maxThreads: limit, body: body)
            slot.withLock { $0 = job }
            generation.wrappingAdd(1, ordering: .sequentiallyConsistent)
            var woken = 0
            for worker in workers where woken < limit - 1 {
                if worker.sleeping.exchange(false, ordering: .sequentiallyConsistent) { worker.semaphore.signal() }
                woken += 1
            }
            job.drain(slot: 0)
            var spins = 0
            while job.remaining.load(ordering: .acquiring) > 0 {
                spins += 1
                if spins > 4096 { sched_yield() }  // a worker holding an index was descheduled
            }
            job.body = nil
            slot.withLock { $0 = nil }
        }
        busy.store(false, ordering: .releasing)
    }

    private func workerLoop(_ worker: Worker) {
        var seen = generation.load(ordering: .acquiring)
        while true {
            seen = waitForNewGeneration(after: seen, worker)
            guard let job = slot.withLock({ $0 }) else { continue }
            let slot = job.joined.wrappingAdd(1, ordering: .relaxed).oldValue
            if slot >= job.maxThreads { continue }
            job.drain(slot: slot)
        }
    }

    /// Spins for up to `spinNanoseconds`, then parks until the caller signals a new job.
    private func waitForNewGeneration(after seen: Int, _ worker: Worker) -> Int {
        let start = Self.now()
        var spins = 0
        while true {
            let current = generation.load(ordering: .acquiring)
            if current != seen { return current }
            spins += 1
            if spins & 255 == 0 && Self.now() - start > spinNanoseconds { break }
        }
        // Park. Either the caller sees `sleeping == true` after its generation bump and signals, or
        // we see the bump here; if both happen exactly one `exchange` wins and the semaphore balances.
        while true {
            worker.sleeping.store(true, ordering: .sequentiallyConsistent)
            let current = generation.load(ordering: .sequentiallyConsistent)
            if current != seen {
                if !worker.sleeping.exchange(false, ordering: .sequentiallyConsistent) {
                    worker.semaphore.wait()  // the caller already claimed the flag: consume its signal
                }
                return current
            }
            worker.semaphore.wait()
            let woken = generation.load(ordering: .acquiring)
            if woken != seen { return woken }
        }
    }

    private static func now() -> Int {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return ts.tv_sec * 1_000_000_000 + ts.tv_nsec
    }

    private func start(_ worker: Worker) {
        let context = Unmanaged.passRetained(ThreadStart(pool: self, worker: worker)).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { raw in
            let start = Unmanaged<ThreadStart>.fromOpaque(raw!).takeRetainedValue()
            start.pool.workerLoop(start.worker)
            return nil
        }, context)
        precondition(result == 0, "WorkerPool: pthread_create failed (\(result))")
        pthread_detach(thread)
    }

    private final class ThreadStart {
        let pool: WorkerPool
        let worker: Worker
        init(pool: WorkerPool, worker: Worker) { self.pool = pool; self.worker = worker }
    }
}
