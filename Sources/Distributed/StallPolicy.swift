#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How long a collective may wait for its peers, and how a stall is described: the error names the
/// call, the rank, and what the peer table shows (dead ranks on this host, pids, ranks elsewhere).
struct StallPolicy: Sendable {
    /// Seconds; nil waits forever.
    let timeout: Double?
    /// This process's rank (in the world, for messages).
    let rank: Int
    /// Where the peers run; nil when unknown.
    let peers: PeerTable?

    /// The error for `call` having waited `elapsed` seconds: `peerLost` when ranks on this host are
    /// found dead, `timedOut` otherwise.
    func error(call: String, elapsed: Double, state: (Int32) -> PeerTable.ProcessState = PeerTable.processState) -> DistributedError {
        guard let peers else {
            return .timedOut(call: call, seconds: timeout ?? elapsed, rank: rank, detail: "peers unknown")
        }
        let (lost, text) = peers.diagnosis(besides: rank, state: state)
        if lost.isEmpty {
            return .timedOut(call: call, seconds: timeout ?? elapsed, rank: rank, detail: text)
        }
        return .peerLost(call: call, rank: rank, lostRanks: lost, detail: "\(text); waited \(Int(elapsed.rounded())) s")
    }
}

/// Seconds on the monotonic clock.
func monotonicSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}
