import Foundation
import TestSupport
import XCTest

/// Several processes: the built `bench allreduce --check` under `mpirun -np 2` (shared memory, then
/// TCP), which checks every collective's results exactly; a rank killed with SIGKILL and a rank
/// stopped with SIGSTOP, which must end the job within a bound, never hang. Skipped when `mpirun` is
/// not installed, unless `MD2_REQUIRE_MPI=1` (CI), which makes that a failure.
final class MPIProcessTests: XCTestCase {
    typealias Outcome = ChildProcess

    /// `mpirun` on PATH, or skip (fail under MD2_REQUIRE_MPI=1).
    func mpirun() throws -> URL { try ChildProcess.mpirun() }

    /// The `bench` executable built beside the tests (skips when not built, fails under
    /// MD2_REQUIRE_FIXTURES=1).
    func bench() throws -> URL {
        try Executables.url(named: "bench")
    }

    /// Runs `executable arguments` with `extra` added to the environment (Open MPI's consent to run as
    /// root included, an enclosing launch's variables removed), killing it after `limit` seconds.
    func run(_ executable: URL, _ arguments: [String], extra: [String: String] = [:], limit: Double = 60) throws -> Outcome {
        var environment = ChildProcess.mpirunEnvironment
        for (key, value) in extra { environment[key] = value }
        return try ChildProcess.run(executable, arguments, environment: environment, limit: limit)
    }

    /// The one JSON line rank 0 prints.
    func json(_ outcome: Outcome) throws -> [String: Any] {
        let lines = outcome.output.split(separator: "\n").filter { $0.hasPrefix("{") }
        XCTAssertEqual(lines.count, 1, outcome.output)
        let line = try XCTUnwrap(lines.first)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    func mpirunArguments(_ extra: [String] = []) -> [String] {
        ["-np", "2", "--oversubscribe"] + extra
    }

    func checkRun(transport: [String], floats: Int = 1_000_003, extra: [String] = []) throws {
        let mpirun = try mpirun(), bench = try bench()
        let outcome = try run(mpirun, mpirunArguments(transport) + [bench.path, "allreduce", "--floats", String(floats), "--repeats", "2", "--check"] + extra)
        XCTAssertEqual(outcome.status, 0, outcome.error)
        let line = try json(outcome)
        XCTAssertEqual(line["size"] as? Int, 2)
        XCTAssertEqual(line["floats"] as? Int, floats)
        XCTAssertEqual(line["bytes"] as? Int, 4 * floats)
        XCTAssertEqual(line["checked"] as? Bool, true)
        XCTAssertEqual(line["thread_level"] as? String, "MPI_THREAD_MULTIPLE")
        XCTAssertGreaterThan(line["algbw_gbps"] as? Double ?? 0, 0)
        XCTAssertEqual(line["busbw_gbps"] as? Double ?? 0, line["algbw_gbps"] as? Double ?? -1, accuracy: 0.002)  // 2(N-1)/N = 1
    }

    func testTwoRanksOverSharedMemory() throws {
        try checkRun(transport: [])
    }

    func testTwoRanksOverTCP() throws {
        try checkRun(transport: ["--mca", "btl", "tcp,self"])
    }

    /// Every MPI call cut at 100 elements (bytes for the broadcast): the chunks' offsets and order in
    /// the blocking, started (41 requests) and broadcast (3 calls) paths, as for counts above Int32.max.
    func testChunkedCalls() throws {
        try checkRun(transport: [], floats: 100_003, extra: ["--chunk", "100"])
    }

    /// Without a launcher: a world of one, MPI not loaded.
    func testAloneIsAWorldOfOne() throws {
        let outcome = try run(try bench(), ["allreduce", "--floats", "1001", "--repeats", "2", "--check"])
        XCTAssertEqual(outcome.status, 0, outcome.error)
        let line = try json(outcome)
        XCTAssertEqual(line["size"] as? Int, 1)
        XCTAssertEqual(line["library"] as? String, "none (single process)")
        XCTAssertEqual(line["checked"] as? Bool, true)
    }

    /// Launched (as the variables say) with no loadable MPI: exit 2 and one line that says what to do.
    func testLaunchedWithoutLibraryPrintsOneLine() throws {
        let outcome = try run(try bench(), ["allreduce", "--floats", "10"],
                              extra: ["OMPI_COMM_WORLD_SIZE": "2", "OMPI_COMM_WORLD_RANK": "0", "MD2_MPI_LIBRARY": "/nonexistent/libmpi.so.40"])
        XCTAssertEqual(outcome.status, 2)
        XCTAssertEqual(outcome.error, "bench allreduce: launched by Open MPI's mpirun (OMPI_COMM_WORLD_SIZE=2) but no MPI library "
            + "could be loaded (tried /nonexistent/libmpi.so.40): MD2_MPI_LIBRARY=/nonexistent/libmpi.so.40 is not loadable: "
            + "point it at the MPI library your launcher belongs to, or unset it\n")
    }

    /// Rank 1 SIGKILLs itself before its third allreduce: mpirun ends the job at once and names rank 1.
    func testKilledRankEndsTheJob() throws {
        let mpirun = try mpirun(), bench = try bench()
        for transport in [[], ["--mca", "btl", "tcp,self"]] {
            let outcome = try run(mpirun, mpirunArguments(transport) + [bench.path, "allreduce", "--floats", "100000", "--repeats", "1000",
                                                                        "--fault", "kill", "--fault-rank", "1", "--fault-after", "2"], limit: 90)
            XCTAssertNotEqual(outcome.status, 0)
            XCTAssertLessThan(outcome.seconds, 60, outcome.error)
            XCTAssertTrue(outcome.error.contains("process rank 1 with PID"), outcome.error)
            XCTAssertTrue(outcome.error.contains("exited on signal 9"), outcome.error)
        }
    }

    /// Rank 1 stops (SIGSTOP) and never answers: MPI would wait forever; rank 0's watchdog (1 s)
    /// prints the stall and aborts the job; with a started reduction, `wait()` throws instead.
    func testStoppedRankTimesOut() throws {
        let mpirun = try mpirun(), bench = try bench()
        for mode in [[], ["--nonblocking"]] {
            let outcome = try run(mpirun, mpirunArguments() + [bench.path, "allreduce", "--floats", "1000", "--repeats", "1000",
                                                               "--timeout", "1", "--fault", "stop", "--fault-rank", "1", "--fault-after", "2"] + mode,
                                  limit: 90)
            XCTAssertNotEqual(outcome.status, 0)
            XCTAssertLessThan(outcome.seconds, 30, outcome.error)
            let call = mode.isEmpty ? "MPI_Allreduce" : "MPI_Iallreduce"
            // The watchdog (blocking) or wait() (started reduction) names the stopped rank and its pid.
            XCTAssertTrue(outcome.error.contains("rank 0: \(call) of 1000 floats did not complete within 1 s (stopped on "), outcome.error)
            XCTAssertNotNil(outcome.error.range(of: #"stopped on [^:]+: rank 1 \(pid [0-9]+\)"#, options: .regularExpression), outcome.error)
        }
    }
}
