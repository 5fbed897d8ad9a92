#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The MPI requests of one started collective (one per chunk), finished with `MPI_Test` polling so
/// that a stall can end in an error instead of a hang. Used under `PendingReduction`'s lock.
final class MPIPendingRequests: PendingOperation {
    private let library: MPILibrary
    private var requests: [MPIHandle]
    private let call: String
    private let stall: StallPolicy
    /// When `test()` first found the requests unfinished (its timeout runs from there).
    private var firstIncompleteTest: Double?

    init(library: MPILibrary, requests: [MPIHandle], call: String, stall: StallPolicy) {
        self.library = library
        self.requests = requests
        self.call = call
        self.stall = stall
    }

    /// One `MPI_Test` per unfinished request; drops the finished ones.
    private func advance() throws(DistributedError) {
        var index = 0
        while index < requests.count {
            var done = false
            try library.check(library.test(&requests[index], &done), "MPI_Test (\(call))", rank: stall.rank)
            if done { requests.remove(at: index) } else { index += 1 }
        }
    }

    func test() throws(DistributedError) -> Bool {
        try advance()
        if requests.isEmpty { return true }
        let now = monotonicSeconds()
        let since = firstIncompleteTest ?? now
        firstIncompleteTest = since
        if let timeout = stall.timeout, now - since > timeout {
            throw stall.error(call: call, elapsed: now - since)
        }
        return false
    }

    /// Without a timeout, `MPI_Wait` on each request. With one, `MPI_Test` in a loop (which is what
    /// `MPI_Wait` does inside), looking at the clock every 64 polls and yielding the core between
    /// polls after the first millisecond, so an oversubscribed peer gets to run.
    func wait() throws(DistributedError) {
        guard let timeout = stall.timeout else {
            for index in requests.indices {
                try library.check(library.wait(&requests[index]), "MPI_Wait (\(call))", rank: stall.rank)
            }
            requests.removeAll()
            return
        }
        let start = monotonicSeconds()
        var polls = 0
        var yielding = false
        while true {
            try advance()
            if requests.isEmpty { return }
            polls += 1
            if polls & 63 == 0 {
                let elapsed = monotonicSeconds() - start
                if elapsed > timeout { throw stall.error(call: call, elapsed: elapsed) }
                yielding = elapsed > 1e-3
            }
            if yielding { sched_yield() }
        }
    }
}
