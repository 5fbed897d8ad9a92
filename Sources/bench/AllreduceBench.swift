import Distributed
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `allreduce [--floats N] [--repeats R] [--check] [--nonblocking [--sleep S]] [--timeout S] [--chunk C]
/// [--progress] [--fault kill|stop --fault-rank R --fault-after K]`: times an
/// in-place float sum over all ranks (run under `mpirun -np N`, or alone as a world of one). Rank 0
/// prints one JSON line: world size, floats, bytes, median/min/max seconds per allreduce (rank 0's
/// clock, each after a barrier), algorithm bandwidth (bytes / time) and bus bandwidth
/// (bytes · 2(N−1)/N / time, as nccl-tests define it), the MPI library and thread level.
/// `--check` refills each rank's buffer with rank-dependent integers before every repeat and checks
/// the sums exactly (the values stay below 2^24), then checks the other collectives once (double
/// sum, broadcast, barrier, a started reduction, a duplicated communicator, sums on the duplicate in a
/// second thread while the first thread sums on the world communicator); a mismatch prints an
/// error and exits 1. `--nonblocking` times `startAllreduceSum` + `wait()` instead; with `--sleep S` the
/// rank sleeps S seconds between the two (no MPI calls). The line adds the median times of the start
/// and of `wait()`: if the library progressed alone during the sleep, the wait is short (the totals
/// then include the sleep). `--timeout S` bounds
/// each collective (0: wait forever; default the communicator's); `--chunk C` cuts every MPI call
/// at C elements (default `Int32.max`; small values test the chunking). Fault injection, for the tests and
/// the fault investigation: `--fault kill` makes rank R (default 1) SIGKILL itself, `--fault stop`
/// SIGSTOP itself, before its allreduce number K (default 2).
func runAllreduceBench(_ arguments: BenchFlags) throws {
    var flags = arguments
    let floats = try flags.int("floats", default: 27_000_000)
    let repeats = max(1, try flags.int("repeats", default: 10))
    let check = flags.flag("check"), nonblocking = flags.flag("nonblocking"), progress = flags.flag("progress")
    let sleepSeconds = try flags.double("sleep", default: 0)
    let sleeps = sleepSeconds > 0
    if sleeps && !nonblocking { throw BenchFlags.Problem(description: "--sleep needs --nonblocking") }
    let timeout = flags.strings("timeout").map { $0.joined() }
    let chunk = try flags.int("chunk", default: Int(Int32.max))
    let fault = try flags.string("fault", default: "none", allowed: ["none", "kill", "stop"])
    let faultRank = try flags.int("fault-rank", default: 1), faultAfter = try flags.int("fault-after", default: 2)
    try flags.checkAllUsed()
    var options = MPICommunicator.Options(chunkLimit: chunk)
    if let timeout {
        guard let seconds = Double(timeout), seconds >= 0 else {
            throw BenchFlags.Problem(description: "--timeout '\(timeout)' is not a number of seconds (0: wait forever)")
        }
        options.collectiveTimeout = seconds > 0 ? seconds : nil
    }

    let communicator: any Communicator
    do {
        communicator = try LaunchEnvironment.communicator(options: options)
    } catch {
        printError("bench allreduce: \(error)")
        exit(2)
    }
    let rank = communicator.rank, size = communicator.size
    let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: floats)
    defer { buffer.deallocate() }
    fillForCheck(buffer, rank: rank)

    var times: [Double] = [], starts: [Double] = [], waits: [Double] = []
    var mismatches = 0
    do {
        try communicator.barrier()
        for iteration in 0..<repeats {
            if check && iteration > 0 { fillForCheck(buffer, rank: rank) }
            try communicator.barrier()
            if fault != "none" && rank == faultRank && iteration == faultAfter {
                printError("rank \(rank) (pid \(getpid())): --fault \(fault) before allreduce \(iteration)")
                kill(getpid(), fault == "kill" ? SIGKILL : SIGSTOP)
            }
            let start = now()
            if nonblocking {
                let pending = try communicator.startAllreduceSum(buffer)
                starts.append(now() - start)
                if sleeps { usleep(UInt32(sleepSeconds * 1e6)) }
                let waitStart = now()
                try pending.wait()
                waits.append(now() - waitStart)
            } else {
                try communicator.allreduceSum(buffer)
            }
            times.append(now() - start)
            if progress { printError("rank \(rank): allreduce \(iteration) done in \(format(times.last ?? 0, digits: 3)) s") }
            if check { mismatches += countMismatches(buffer, size: size, rank: rank) }
        }
        if check { mismatches += try checkOtherCollectives(communicator) }
        // Every rank learns whether any rank saw a mismatch.
        var total = [Double(mismatches)]
        try total.withUnsafeMutableBufferPointer { try communicator.allreduceSum($0) }
        mismatches = Int(total[0])
    } catch {
        printError("bench allreduce: \(error)")
        communicator.abort(code: 2)
    }

    if rank == 0 {
        if mismatches > 0 {
            printError("bench allreduce: --check found \(mismatches) wrong values over \(size) ranks")
        }
        times.sort()
        let bytes = Double(floats) * Double(MemoryLayout<Float>.size)
        let median = times[times.count / 2]
        let busFactor = size > 1 ? 2 * Double(size - 1) / Double(size) : 0
        var fields: [(String, String)] = [
            ("name", quoted("allreduce")), ("size", String(size)), ("floats", String(floats)),
            ("bytes", String(Int(bytes))), ("repeats", String(repeats)),
            ("median_s", format(median)), ("min_s", format(times.first ?? 0)), ("max_s", format(times.last ?? 0)),
            ("algbw_gbps", format(median > 0 ? bytes / median / 1e9 : 0, digits: 3)),
            ("busbw_gbps", format(median > 0 ? bytes * busFactor / median / 1e9 : 0, digits: 3)),
            ("mode", quoted(nonblocking ? "nonblocking" : "blocking")),
            ("checked", check ? (mismatches == 0 ? "true" : "false") : "null"),
        ]
        if nonblocking {
            starts.sort()
            waits.sort()
            fields += [("median_start_s", format(starts[starts.count / 2])), ("sleep_s", format(sleeps ? sleepSeconds : 0)),
                       ("median_wait_s", format(waits[waits.count / 2]))]
        }
        if let mpi = communicator as? MPICommunicator {
            fields += [("library", quoted(mpi.library.version)), ("thread_level", quoted(mpi.threadLevel.description))]
        } else {
            fields += [("library", quoted("none (single process)"))]
        }
        fields += [("host", quoted(communicator.processorName)), ("cpu", quoted(cpuDescription())),
                   ("peak_rss_mb", format(peakRSSMegabytes(), digits: 1))]
        print("{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}")
    }
    communicator.finalize()
    exit(mismatches == 0 ? 0 : 1)
}

/// Rank `rank`'s check values: small integers (exact in Float) that differ per rank and per index.
private func checkValue(_ index: Int, rank: Int) -> Float {
    Float(index % 4093 + 1 + rank)
}

private func fillForCheck(_ buffer: UnsafeMutableBufferPointer<Float>, rank: Int) {
    for index in buffer.indices { buffer[index] = checkValue(index, rank: rank) }
}

/// The sum over ranks of `checkValue` is `size·(i % 4093 + 1) + size·(size−1)/2`.
private func countMismatches(_ buffer: UnsafeMutableBufferPointer<Float>, size: Int, rank: Int) -> Int {
    var wrong = 0
    for index in buffer.indices {
        let expected = Float(size * (index % 4093 + 1) + size * (size - 1) / 2)
        if buffer[index] != expected {
            if wrong < 3 { printError("rank \(rank): element \(index) is \(buffer[index]), expected \(expected)") }
            wrong += 1
        }
    }
    return wrong
}

/// The collectives besides the float sum, once each on small buffers; returns the number of wrong values.
private func checkOtherCollectives(_ communicator: any Communicator) throws -> Int {
    let rank = communicator.rank, size = communicator.size
    var wrong = 0
    func expect(_ condition: Bool, _ what: String) {
        if !condition {
            printError("rank \(rank): \(what)")
            wrong += 1
        }
    }
    // Double sum.
    var doubles = (0..<1001).map { Double($0) + 0.25 * Double(rank) }
    try doubles.withUnsafeMutableBufferPointer { buffer throws(DistributedError) in try communicator.allreduceSum(buffer) }
    let rankSum = 0.25 * Double(size * (size - 1) / 2)
    expect(doubles.enumerated().allSatisfy { $0.element == Double(size * $0.offset) + rankSum }, "double allreduce sum wrong")
    // Broadcast from the last rank.
    var bytes = (0..<257).map { UInt8(truncatingIfNeeded: $0 * 7 + rank) }
    try bytes.withUnsafeMutableBytes { try communicator.broadcast($0, root: size - 1) }
    expect(bytes.enumerated().allSatisfy { $0.element == UInt8(truncatingIfNeeded: $0.offset * 7 + size - 1) }, "broadcast from rank \(size - 1) wrong")
    try communicator.barrier()
    // A started reduction, and the same on a duplicated communicator.
    let second = try communicator.duplicate()
    for (name, comm) in [("started reduction", communicator), ("started reduction on a duplicate", second)] {
        var values = [Float](repeating: Float(rank + 1), count: 4099)
        try values.withUnsafeMutableBufferPointer { buffer throws(DistributedError) in
            let pending = try comm.startAllreduceSum(buffer)
            try pending.wait()
            expect(try pending.test(), "\(name): test() false after wait()")
        }
        expect(values.allSatisfy { $0 == Float(size * (size + 1) / 2) }, "\(name) wrong")
    }
    expect(second.rank == rank && second.size == size, "duplicate has rank \(second.rank) of \(second.size)")
    // Two threads at once, as the trainer will run them: large sums on the duplicate in a second
    // thread while this thread does small ones on the world communicator (MPI_THREAD_MULTIPLE).
    let background = ConcurrentSums(second, rounds: 20, count: 300_007)
    var small = [Float](repeating: 0, count: 64)
    for round in 0..<200 {
        for index in small.indices { small[index] = Float(rank + round + index) }
        try small.withUnsafeMutableBufferPointer { buffer throws(DistributedError) in try communicator.allreduceSum(buffer) }
        let expected = (0..<small.count).map { Float(size * (round + $0) + size * (size - 1) / 2) }
        if small != expected { expect(false, "small sum \(round) on the world communicator wrong while a second thread reduced") }
    }
    expect(try background.join() == 0, "sums on the duplicate in a second thread wrong")
    second.finalize()
    return wrong
}

/// `rounds` sums of `count` floats on `communicator`, in a thread of their own; `join()` returns the
/// number of wrong rounds, or rethrows the thread's error.
private final class ConcurrentSums: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var wrongRounds = 0
    private var failure: (any Error)?

    init(_ communicator: any Communicator, rounds: Int, count: Int) {
        let thread = Thread { [self] in
            defer { done.signal() }
            let rank = communicator.rank, size = communicator.size
            var values = [Float](repeating: 0, count: count)
            do {
                for round in 0..<rounds {
                    for index in values.indices { values[index] = Float((index + round) % 1000 + rank) }
                    try values.withUnsafeMutableBufferPointer { buffer throws(DistributedError) in try communicator.allreduceSum(buffer) }
                    let ok = values.indices.allSatisfy { values[$0] == Float(size * ((($0 + round) % 1000)) + size * (size - 1) / 2) }
                    if !ok { wrongRounds += 1 }
                }
            } catch {
                failure = error
            }
        }
        thread.start()
    }

    func join() throws -> Int {
        done.wait()
        if let failure { throw failure }
        return wrongRounds
    }
}
