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

    /// The ranks other than `me` that run on `me`'s host and whose process is gone.
    func lostRanks(besides me: Int, isAlive: (Int32) -> Bool = PeerTable.processIsAlive) -> [Int] {
        guard peers.indices.contains(me) else { return [] }
        let host = peers[me].host
        return peers.filter { $0.rank != me && $0.host == host && !isAlive($0.pid) }.map(\.rank)
    }

    /// What is known about the others after a stall, for messages: the dead local ranks (with pid),
    /// and how many live locally or run elsewhere (those cannot be checked from here).
    func diagnosis(besides me: Int, isAlive: (Int32) -> Bool = PeerTable.processIsAlive) -> (lost: [Int], text: String) {
        guard peers.indices.contains(me) else { return ([], "no peer table") }
        let host = peers[me].host
        let local = peers.filter { $0.rank != me && $0.host == host }
        let lost = local.filter { !isAlive($0.pid) }
        let remote = peers.count - 1 - local.count
        var parts: [String] = []
        if !lost.isEmpty {
            parts.append("gone on \(host): " + lost.map { "rank \($0.rank) (pid \($0.pid))" }.joined(separator: ", "))
        }
        let alive = local.count - lost.count
        if alive > 0 { parts.append("\(alive) other rank\(alive == 1 ? "" : "s") on \(host) alive") }
        if remote > 0 { parts.append("\(remote) rank\(remote == 1 ? "" : "s") on other hosts not checkable from here") }
        return (lost.map(\.rank), parts.isEmpty ? "no other ranks" : parts.joined(separator: "; "))
    }

    /// True while `pid` names a process that has not exited (a zombie counts as exited).
    static func processIsAlive(_ pid: Int32) -> Bool {
        guard pid > 0 else { return false }
        if kill(pid, 0) != 0 && errno != EPERM { return false }
        #if os(Linux)
        // /proc/PID/stat: "pid (comm) S ..."; the state follows the last ')'.
        guard let file = fopen("/proc/\(pid)/stat", "r") else { return false }
        defer { fclose(file) }
        var buffer = [CChar](repeating: 0, count: 512)
        guard fgets(&buffer, Int32(buffer.count), file) != nil else { return true }
        let line = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let close = line.lastIndex(of: ")") else { return true }
        let state = line[line.index(after: close)...].first { $0 != " " }
        return state != "Z" && state != "X"
        #else
        return true
        #endif
    }
}
