import Foundation

/// A reduction started by `Communicator.startAllreduceSum`: the buffer holds the sum once `wait()`
/// returns or `test()` returns true, and must not be touched before.
///
/// Progress: MPI libraries (Open MPI 4.1 and MPICH 4.0 as installed here) move a non-blocking
/// collective forward only inside MPI calls. A reduction that nobody tests or waits on barely
/// advances, so a thread that wants overlap must call `test()` now and then, or `wait()`.
///
/// Thread safety: `wait()` and `test()` may be called from any thread (one at a time is enforced by
/// a lock), so a reduction started on one thread can be finished on another.
public final class PendingReduction: @unchecked Sendable {
    private let lock = NSLock()
    /// nil once complete.
    private var operation: (any PendingOperation)?
    /// The error the operation failed with, repeated to later callers.
    private var failure: DistributedError?

    /// A reduction that is already complete (one process: the sum of one buffer is itself).
    public static func completed() -> PendingReduction { PendingReduction(nil) }

    init(_ operation: (any PendingOperation)?) {
        self.operation = operation
    }

    /// Blocks until the reduction is complete. Throws if it failed or did not complete within the
    /// communicator's timeout (then the communicator is unusable: end the job).
    public func wait() throws(DistributedError) {
        lock.lock()
        defer { lock.unlock() }
        if let failure { throw failure }
        guard let operation else { return }
        do {
            try operation.wait()
            self.operation = nil
        } catch {
            failure = error
            throw error
        }
    }

    /// True once the reduction is complete; advances it (one MPI_Test per underlying request)
    /// otherwise. Throws as `wait()` does, the timeout counted from the first `test()`.
    public func test() throws(DistributedError) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if let failure { throw failure }
        guard let operation else { return true }
        do {
            if try operation.test() {
                self.operation = nil
                return true
            }
            return false
        } catch {
            failure = error
            throw error
        }
    }

    /// True when complete, without advancing anything.
    public var isComplete: Bool {
        lock.lock()
        defer { lock.unlock() }
        return operation == nil && failure == nil
    }
}

/// The transport's side of a pending reduction. Called under `PendingReduction`'s lock.
protocol PendingOperation: AnyObject {
    /// Advances; true when complete.
    func test() throws(DistributedError) -> Bool
    /// Blocks until complete.
    func wait() throws(DistributedError)
}
