import Foundation
import XCTest

/// A built tool run as a child process, as a user runs it: exit status, everything it printed
/// (through files, so no pipe can fill up) and the wall time. Optionally under `mpirun`.
public struct ChildProcess {
    public var status: Int32
    public var output: String
    public var error: String
    public var seconds: Double
    /// User + system CPU seconds of the process (and its threads).
    public var cpuSeconds: Double
    /// Whether it was killed for running past its time limit.
    public var timedOut: Bool

    /// CPU seconds used so far by this process's finished children.
    static func childrenCPUSeconds() -> Double {
        var usage = rusage()
        #if os(Linux)
        let who = RUSAGE_CHILDREN.rawValue
        #else
        let who = RUSAGE_CHILDREN
        #endif
        guard getrusage(who, &usage) == 0 else { return .nan }
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// Runs `executable` with `arguments` in `directory`, with `extra` set in the environment (nil
    /// removes a variable); a run past `limit` seconds is terminated (`timedOut`).
    public static func run(_ executable: URL, _ arguments: [String], in directory: URL? = nil,
                           environment extra: [String: String?] = [:], limit: Double = 300) throws -> ChildProcess {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        let io = FileManager.default.temporaryDirectory.appendingPathComponent("md2-child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: io, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: io) }
        let outURL = io.appendingPathComponent("stdout"), errURL = io.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        let start = Date(), cpuBefore = childrenCPUSeconds()
        try process.run()
        final class Flag: @unchecked Sendable { var value = false }
        let timedOut = Flag()
        let killer = DispatchWorkItem {
            if process.isRunning { timedOut.value = true; process.terminate() }
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + limit, execute: killer)
        process.waitUntilExit()
        killer.cancel()
        try out.close()
        try err.close()
        return ChildProcess(status: process.terminationStatus,
                            output: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                            error: String(decoding: try Data(contentsOf: errURL), as: UTF8.self),
                            seconds: Date().timeIntervalSince(start), cpuSeconds: childrenCPUSeconds() - cpuBefore,
                            timedOut: timedOut.value)
    }

    /// Open MPI's `mpirun` on PATH (skips when absent; fails under `MD2_REQUIRE_MPI=1`, as CI sets).
    public static func mpirun(file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent("mpirun")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        let reason = "mpirun is not installed (Debian: apt-get install openmpi-bin)"
        if ProcessInfo.processInfo.environment["MD2_REQUIRE_MPI"] == "1" {
            XCTFail("MD2_REQUIRE_MPI=1 but \(reason)", file: file, line: line)
        }
        throw XCTSkip(reason, file: file, line: line)
    }

    /// The environment of an `mpirun` child: Open MPI's consent to run as root (CI runs as root), and
    /// none of the variables of an enclosing launch.
    public static var mpirunEnvironment: [String: String?] {
        var environment: [String: String?] = ["OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1"]
        for key in ProcessInfo.processInfo.environment.keys where key.hasPrefix("OMPI_COMM_WORLD") || key.hasPrefix("PMI") {
            environment[key] = .some(nil)
        }
        return environment
    }
}
