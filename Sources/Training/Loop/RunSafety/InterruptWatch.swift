import Foundation
import Synchronization

/// SIGINT and SIGTERM while `train` runs: the first one is recorded and the epoch loop stops at the
/// next step boundary (a save in progress finishes first: saves never look at it), throwing
/// `TrainerError.interrupted` with the last complete weights folder; a second signal exits at once
/// (status 128 + signal), as a user pressing Ctrl-C twice expects.
///
/// Only `train`'s single-process runs install it (`Trainer.train(stoppingOnSignals: true)`); under
/// mpirun the launcher's own signal handling applies (the ranks would have to agree on the step at
/// which to stop).
public enum InterruptWatch {
    /// The signal received (0: none). This is the one piece of process-global mutable state in the
    /// trainer, and it has to be: a C signal handler cannot capture context, so the handler and the
    /// loop can only meet in a global. It is an atomic (lock-free, safe to store from a handler).
    private static let received = Atomic<Int32>(0)

    /// Installs the handlers for SIGINT and SIGTERM and clears any earlier signal.
    public static func install() {
        received.store(0, ordering: .sequentiallyConsistent)  // also initialises the global before a handler can run
        signal(SIGINT, handleSignal)
        signal(SIGTERM, handleSignal)
    }

    /// Restores the default dispositions.
    public static func uninstall() {
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }

    /// The first signal received since `install`, if any.
    public static var pending: Int32? {
        let value = received.load(ordering: .sequentiallyConsistent)
        return value == 0 ? nil : value
    }

    /// The handler: async-signal-safe (an atomic exchange, and `_exit` on the second signal).
    fileprivate static func record(_ signal: Int32) {
        if received.exchange(signal, ordering: .sequentiallyConsistent) != 0 { _exit(128 + signal) }
    }
}

private func handleSignal(_ signal: Int32) {
    InterruptWatch.record(signal)
}
