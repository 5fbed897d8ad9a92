import Foundation

/// Bounds the blocking collectives of one communicator. A blocking MPI collective cannot be
/// cancelled, and after a peer is lost the communicator is unusable anyway, so when a guarded call
/// outlives the timeout the watchdog's thread runs `expire` (which prints the stall and ends the job
/// with `MPI_Abort`; it does not return).
///
/// One thread per watchdog, asleep on a condition variable while nothing is guarded; arming and
/// disarming cost a lock and a signal. Guarded calls of one watchdog must not overlap (a communicator's
/// collectives run one at a time); `stop()` ends the thread.
final class CollectiveWatchdog: @unchecked Sendable {
    typealias Expiry = @Sendable (_ call: String, _ elapsed: Double) -> Void

    private let state: State

    /// Starts the watchdog thread.
    init(timeout: Double, expire: @escaping Expiry) {
        state = State(timeout: timeout, expire: expire)
        let state = self.state
        let thread = Thread { state.run() }
        thread.name = "md2-collective-watchdog"
        thread.stackSize = 256 << 10
        thread.start()
    }

    deinit { state.stop() }

    /// Runs `body` (one blocking MPI call) with the deadline armed.
    func guarded<T, E: Error>(_ call: @autoclosure () -> String, _ body: () throws(E) -> T) throws(E) -> T {
        state.arm(call())
        defer { state.disarm() }
        return try body()
    }

    /// Ends the thread (idempotent).
    func stop() { state.stop() }

    /// Shared with the thread (the thread holds no reference to the watchdog, so `deinit` runs).
    private final class State: @unchecked Sendable {
        let timeout: Double
        let expire: Expiry
        let condition = NSCondition()
        var armed: (call: String, start: Double)?
        var stopped = false

        init(timeout: Double, expire: @escaping Expiry) {
            self.timeout = timeout
            self.expire = expire
        }

        func arm(_ call: String) {
            condition.lock()
            armed = (call, monotonicSeconds())
            condition.signal()
            condition.unlock()
        }

        func disarm() {
            condition.lock()
            armed = nil
            condition.unlock()
        }

        func stop() {
            condition.lock()
            stopped = true
            condition.signal()
            condition.unlock()
        }

        func run() {
            condition.lock()
            while !stopped {
                guard let (call, start) = armed else {
                    condition.wait()
                    continue
                }
                let elapsed = monotonicSeconds() - start
                if elapsed >= timeout {
                    condition.unlock()
                    expire(call, elapsed)
                    return
                }
                _ = condition.wait(until: Date(timeIntervalSinceNow: timeout - elapsed + 0.01))
            }
            condition.unlock()
        }
    }
}
