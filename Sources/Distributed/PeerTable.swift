#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where every rank runs (host name and process id), gathered once when the world communicator is
/// made. MPI (without fault-tolerance extensions, as Open MPI 4.1) cannot say which peer is gone
/// when a collective stalls; this table lets a rank at least check the peers on its own host.
struct PeerTable: Equatable, Sendable {
    /// One rank's place.
    struct Peer: Equatable, Sendable {
        var rank: Int
        var host: String
        var pid: Int32
    }

    /// Indexed by rank.
    let peers: [Peer]

    /// The bytes each rank contributes to the gather: pid (4, little endian), then the host name
    /// (UTF-8, cut at `hostBytes`, zero padded).
    static let hostBytes = 60
    static let recordSize = 4 + hostBytes

    static func record(host: String, pid: Int32) -> [UInt8] {
        var bytes = withUnsafeBytes(of: pid.littleEndian) { Array($0) }
        bytes += Array(host.utf8.prefix(hostBytes))
        bytes += [UInt8](repeating: 0, count: recordSize - bytes.count)
        return bytes
    }

    /// Decodes `size` records gathered in rank order.
    init(gathered bytes: [UInt8], size: Int) {
        peers = (0..<size).map { rank in
            let record = bytes[(rank * PeerTable.recordSize)..<((rank + 1) * PeerTable.recordSize)]
            let pid = record.prefix(4).enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
            let host = record.dropFirst(4).prefix { $0 != 0 }
            return Peer(rank: rank, host: String(decoding: host, as: UTF8.self), pid: Int32(bitPattern: pid))
        }
    }

    init(peers: [Peer]) { self.peers = peers }

    /// What this host can see of a local peer process.
    enum ProcessState: Equatable, Sendable {
        /// Exited (or a zombie not yet reaped).
        case gone
        /// Stopped by a signal (SIGSTOP, SIGTSTP) or a debugger: alive but never answering.
        case stopped
        /// Running or sleeping.
        case running
    }

    /// The ranks other than `me` that run on `me`'s host and whose process is gone.
    func lostRanks(besides me: Int, state: (Int32) -> ProcessState = PeerTable.processState) -> [Int] {
        guard peers.indices.contains(me) else { return [] }
        let host = peers[me].host
        return peers.filter { $0.rank != me && $0.host == host && state($0.pid) == .gone }.map(\.rank)
    }

    /// What is known about the others after a stall, for messages: the local ranks that are gone or
    /// stopped (with pids), how many others on this host run, how many run elsewhere (those cannot
    /// be checked from here).
    func diagnosis(besides me: Int, state: (Int32) -> ProcessState = PeerTable.processState) -> (lost: [Int], text: String) {
        guard peers.indices.contains(me) else { return ([], "no peer table") }
        let host = peers[me].host
        let local = peers.filter { $0.rank != me && $0.host == host }.map { ($0, state($0.pid)) }
        let remote = peers.count - 1 - local.count
        func list(_ wanted: ProcessState) -> [Peer] { local.filter { $0.1 == wanted }.map(\.0) }
        func named(_ peers: [Peer]) -> String { peers.map { "rank \($0.rank) (pid \($0.pid))" }.joined(separator: ", ") }
        let lost = list(.gone), stopped = list(.stopped), running = list(.running).count
        var parts: [String] = []
        if !lost.isEmpty { parts.append("gone on \(host): \(named(lost))") }
        if !stopped.isEmpty { parts.append("stopped on \(host): \(named(stopped))") }
        if running > 0 { parts.append("\(running) other rank\(running == 1 ? "" : "s") on \(host) running") }
        if remote > 0 { parts.append("\(remote) rank\(remote == 1 ? "" : "s") on other hosts not checkable from here") }
        return (lost.map(\.rank), parts.isEmpty ? "no other ranks" : parts.joined(separator: "; "))
    }

    /// The state of process `pid` on this host (`kill(pid, 0)`, then `/proc/PID/stat`'s state letter).
    static func processState(_ pid: Int32) -> ProcessState {
        guard pid > 0 else { return .gone }
        if kill(pid, 0) != 0 && errno != EPERM { return .gone }
        #if os(Linux)
        // /proc/PID/stat: "pid (comm) S ..."; the state follows the last ')'.
        guard let file = fopen("/proc/\(pid)/stat", "r") else { return .gone }
        defer { fclose(file) }
        var buffer = [CChar](repeating: 0, count: 512)
        guard fgets(&buffer, Int32(buffer.count), file) != nil else { return .running }
        let line = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let close = line.lastIndex(of: ")") else { return .running }
        switch line[line.index(after: close)...].first(where: { $0 != " " }) {
        case "Z", "X", "x": return .gone
        case "T", "t": return .stopped
        default: return .running
        }
        #else
        return .running
        #endif
    }
}
