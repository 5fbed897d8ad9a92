import Foundation
import XCTest
@testable import Distributed

/// The parts that turn a stalled collective into a bounded, named failure: the peer table and its
/// diagnosis, the stall policy's choice of error, the watchdog of blocking calls and the polling of
/// started reductions.
final class StallHandlingTests: XCTestCase {
    let table = PeerTable(peers: [
        .init(rank: 0, host: "node-a", pid: 100), .init(rank: 1, host: "node-a", pid: 101),
        .init(rank: 2, host: "node-a", pid: 102), .init(rank: 3, host: "node-b", pid: 100),
    ])

    func testRecordsRoundTrip() {
        let long = String(repeating: "h", count: 80)
        let bytes = PeerTable.record(host: "node-a", pid: 4242) + PeerTable.record(host: long, pid: Int32.max)
        XCTAssertEqual(bytes.count, 2 * PeerTable.recordSize)
        let decoded = PeerTable(gathered: bytes, size: 2)
        XCTAssertEqual(decoded.peers, [.init(rank: 0, host: "node-a", pid: 4242),
                                       .init(rank: 1, host: String(repeating: "h", count: PeerTable.hostBytes), pid: Int32.max)])
    }

    func testDiagnosisNamesDeadAndStoppedLocalRanks() {
        let states: [Int32: PeerTable.ProcessState] = [101: .gone, 102: .stopped]
        let (lost, text) = table.diagnosis(besides: 0) { states[$0] ?? .running }
        XCTAssertEqual(lost, [1])
        XCTAssertEqual(text, "gone on node-a: rank 1 (pid 101); stopped on node-a: rank 2 (pid 102); "
            + "1 rank on other hosts not checkable from here")
        XCTAssertEqual(table.diagnosis(besides: 1) { _ in .running }.text,
                       "2 other ranks on node-a running; 1 rank on other hosts not checkable from here")
        // Rank 3 is alone on node-b: pid 100 there is not rank 0's pid 100.
        XCTAssertEqual(table.lostRanks(besides: 3) { _ in .gone }, [])
        XCTAssertEqual(table.diagnosis(besides: 3) { _ in .running }.text, "3 ranks on other hosts not checkable from here")
    }

    func testStallPolicyChoosesTheError() {
        let policy = StallPolicy(timeout: 30, rank: 0, peers: table)
        let lost = policy.error(call: "MPI_Allreduce of 27000000 floats", elapsed: 30.4) { $0 == 101 ? .gone : .running }
        XCTAssertEqual(lost, .peerLost(call: "MPI_Allreduce of 27000000 floats", rank: 0, lostRanks: [1],
                                       detail: "gone on node-a: rank 1 (pid 101); 1 other rank on node-a running; 1 rank on other hosts not checkable from here; waited 30 s"))
        XCTAssertEqual("\(lost)", "rank 0: lost rank 1 during MPI_Allreduce of 27000000 floats (gone on node-a: rank 1 (pid 101); "
            + "1 other rank on node-a running; 1 rank on other hosts not checkable from here; waited 30 s); the job cannot continue: resume it from the last checkpoint")
        let stuck = policy.error(call: "MPI_Barrier", elapsed: 30.4) { $0 == 102 ? .stopped : .running }
        XCTAssertEqual("\(stuck)", "rank 0: MPI_Barrier did not complete within 30 s (stopped on node-a: rank 2 (pid 102); "
            + "1 other rank on node-a running; 1 rank on other hosts not checkable from here); a peer is stuck, dead or unreachable")
    }

    func testProcessStates() throws {
        XCTAssertEqual(PeerTable.processState(getpid()), .running)
        XCTAssertEqual(PeerTable.processState(0), .gone)
        // A child that has exited but is not yet reaped (a zombie) counts as gone; a stopped one as stopped.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/sleep")
        child.arguments = ["30"]
        try child.run()
        defer { if child.isRunning { kill(child.processIdentifier, SIGKILL) } }
        kill(child.processIdentifier, SIGSTOP)
        var state = PeerTable.ProcessState.running
        for _ in 0..<200 where state != .stopped {
            usleep(10_000)
            state = PeerTable.processState(child.processIdentifier)
        }
        XCTAssertEqual(state, .stopped)
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        XCTAssertEqual(PeerTable.processState(child.processIdentifier), .gone)
    }

    func testChunks() {
        XCTAssertEqual(Chunks(count: 5, limit: 2).map { [$0.offset, Int($0.count)] }, [[0, 2], [2, 2], [4, 1]])
        XCTAssertEqual(Array(Chunks(count: 0)).count, 0)
        XCTAssertEqual(Chunks(count: 4, limit: 4).map { [$0.offset, Int($0.count)] }, [[0, 4]])
        let big = Array(Chunks(count: Int(Int32.max) * 2 + 3))
        XCTAssertEqual(big.map(\.offset), [0, Int(Int32.max), 2 * Int(Int32.max)])
        XCTAssertEqual(big.map(\.count), [Int32.max, Int32.max, 3])
    }

    /// A fake transport operation: completes after `steps` tests, or fails.
    final class FakeOperation: PendingOperation {
        var steps: Int
        var failure: DistributedError?
        var waits = 0
        init(steps: Int, failure: DistributedError? = nil) { self.steps = steps; self.failure = failure }
        func test() throws(DistributedError) -> Bool {
            if let failure { throw failure }
            steps -= 1
            return steps <= 0
        }
        func wait() throws(DistributedError) {
            waits += 1
            if let failure { throw failure }
            steps = 0
        }
    }

    func testPendingReductionStates() throws {
        let operation = FakeOperation(steps: 3)
        let pending = PendingReduction(operation)
        XCTAssertFalse(pending.isComplete)
        XCTAssertFalse(try pending.test())
        XCTAssertFalse(try pending.test())
        XCTAssertTrue(try pending.test())
        XCTAssertTrue(pending.isComplete)
        try pending.wait()
        XCTAssertEqual(operation.waits, 0)  // complete: the transport is not asked again

        let failure = DistributedError.timedOut(call: "MPI_Iallreduce of 8 floats", seconds: 1, rank: 1, detail: "x")
        let failing = PendingReduction(FakeOperation(steps: 1, failure: failure))
        XCTAssertThrowsError(try failing.wait()) { XCTAssertEqual($0 as? DistributedError, failure) }
        XCTAssertThrowsError(try failing.test()) { XCTAssertEqual($0 as? DistributedError, failure) }
        XCTAssertFalse(failing.isComplete)
    }

    func testWatchdogFiresOnlyAfterTheTimeout() throws {
        let fired = LockedList()
        let watchdog = CollectiveWatchdog(timeout: 0.3) { call, elapsed in fired.append("\(call) after \(elapsed >= 0.3)") }
        defer { watchdog.stop() }
        // Quick calls, many of them: nothing fires.
        for _ in 0..<100 { watchdog.guarded("quick") { usleep(100) } }
        usleep(500_000)
        XCTAssertEqual(fired.items, [])
        // One call that outlives the timeout.
        watchdog.guarded("MPI_Barrier") { usleep(700_000) }
        XCTAssertEqual(fired.items, ["MPI_Barrier after true"])
    }

    final class LockedList: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [String] = []
        func append(_ item: String) { lock.lock(); list.append(item); lock.unlock() }
        var items: [String] { lock.lock(); defer { lock.unlock() }; return list }
    }

    func testErrorDescriptionsAreOneLine() {
        let errors: [DistributedError] = [
            .libraryMissing(launcher: "srun (SLURM_STEP_NUM_TASKS=2)", tried: ["a", "b"], advice: "install it"),
            .symbolMissing(library: "libx.so", symbol: "MPI_Iallreduce"),
            .unsupportedLibrary(library: "libmpi.so", version: "Other MPI 1.0"),
            .familyMismatch(launcher: "x", launcherFamily: .mpich, library: "libmpi.so.40", libraryFamily: .openMPI),
            .invalidLaunchVariable(name: "PMI_SIZE", value: "-"),
            .worldSizeMismatch(launcher: "x", expected: 4, actual: 1),
            .callFailed(call: "MPI_Allreduce of 8 floats", code: 15, message: "MPI_ERR_TRUNCATE: message truncated"),
            .timedOut(call: "MPI_Barrier", seconds: 1.5, rank: 0, detail: "d"),
            .peerLost(call: "MPI_Bcast", rank: 2, lostRanks: [0, 1], detail: "d"),
            .invalidArgument(call: "broadcast", reason: "r"),
            .finalized(call: "MPI_Allreduce"),
        ]
        for error in errors {
            XCTAssertFalse(error.description.contains("\n"), error.description)
            XCTAssertFalse(error.description.isEmpty)
        }
        XCTAssertEqual(errors[6].description, "MPI_Allreduce of 8 floats failed with MPI error 15: MPI_ERR_TRUNCATE: message truncated")
        XCTAssertEqual(errors[7].description, "rank 0: MPI_Barrier did not complete within 1.5 s (d); a peer is stuck, dead or unreachable")
        XCTAssertTrue(errors[8].description.hasPrefix("rank 2: lost ranks 0, 1 during MPI_Bcast"))
    }
}
