#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs an executable's body (after `ProcessMemory.keepFreedBlocks()`): on success exits 0; on `CommandLineError.helpRequested` prints the help
/// to stdout and exits 0; on any other error prints `error: <description>` to stderr and exits 2 for
/// usage errors (`CommandLineError`), 1 for everything else.
public func runMain(_ body: () throws -> Void) -> Never {
    ProcessMemory.keepFreedBlocks()
    let status: Int32
    do {
        try body()
        status = 0
    } catch {
        let outcome = MainOutcome(error: error)
        if outcome.status == 0 {
            writeStandardOutput(outcome.message)
        } else {
            writeStandardError(outcome.message)
        }
        status = outcome.status
    }
    exit(status)
}

/// The async form of `runMain`, for bodies that await.
public func runMain(_ body: () async throws -> Void) async -> Never {
    ProcessMemory.keepFreedBlocks()
    let status: Int32
    do {
        try await body()
        status = 0
    } catch {
        let outcome = MainOutcome(error: error)
        if outcome.status == 0 {
            writeStandardOutput(outcome.message)
        } else {
            writeStandardError(outcome.message)
        }
        status = outcome.status
    }
    exit(status)
}

/// What `runMain` prints and returns for an error (separate from `runMain` so it can be tested).
public struct MainOutcome: Equatable, Sendable {
    /// The process exit status: 0 for help, 2 for usage errors (`CommandLineError` and
    /// `CommandLineUsageError`), 1 otherwise.
    public var status: Int32
    /// The text printed: the help text (stdout), or `error: ...` and a newline (stderr).
    public var message: String

    public init(error: any Error) {
        if let usage = error as? CommandLineError {
            if case .helpRequested(let text) = usage {
                status = 0
                message = text
            } else {
                status = 2
                message = "error: \(usage.description)\n"
            }
        } else if let usage = error as? any CommandLineUsageError {
            status = 2
            message = "error: \(usage.description)\n"
        } else {
            status = 1
            message = "error: \(String(describing: error))\n"
        }
    }
}

/// Writes `text` to standard error, unbuffered.
func writeStandardError(_ text: String) {
    write(text, to: 2)
}

/// Writes `text` to standard output (flushing stdio's buffer first so the order is kept).
func writeStandardOutput(_ text: String) {
    fflush(nil)
    write(text, to: 1)
}

private func write(_ text: String, to descriptor: Int32) {
    var bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeMutableBytes { buffer in
            #if canImport(Glibc)
            Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            #else
            Darwin.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            #endif
        }
        if written <= 0 { return }
        offset += written
    }
}
