import Foundation
import Options
import TensorCore

/// Refuses to train when the ranks were started with different command lines: rank 0's flags are
/// broadcast and each rank compares them with its own, naming the first flag that differs. Paths
/// that may differ per node (`--data_path`, `--log_dir`) and `--num_workers` (which changes no
/// result) are not compared.
enum OptionsAgreement {
    static let uncompared: Set<String> = ["data_path", "log_dir", "num_workers"]

    /// Each compared flag's value as its JSON text, in table order.
    static func values(_ options: MonodepthOptions) -> [(flag: String, value: String)] {
        (OptionTable.original + OptionTable.extensions).compactMap { entry in
            guard !uncompared.contains(entry.name) else { return nil }
            let text = entry.jsonValue(of: options)?.dumps(indent: 0) ?? "None"
            return (entry.name, text.split(whereSeparator: \.isNewline).joined(separator: " "))
        }
    }

    /// Throws on every rank when any rank's flags differ from rank 0's (collective).
    static func check(_ options: MonodepthOptions, replicas: any ReplicaGroup, rank: Int) throws {
        let mine = values(options)
        let text = Array(mine.map { $0.flag + "\t" + $0.value }.joined(separator: "\n").utf8)
        var length = Int64(text.count)
        withUnsafeMutableBytes(of: &length) { replicas.broadcastFromFirst($0) }
        var leaderText = rank == 0 ? text : [UInt8](repeating: 0, count: Int(length))
        leaderText.withUnsafeMutableBytes { replicas.broadcastFromFirst($0) }
        var leader: [String: String] = [:]
        for line in String(decoding: leaderText, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
            let parts = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.count == 2 { leader[String(parts[0])] = String(parts[1]) }
        }
        let difference = mine.first { leader[$0.flag] != $0.value }
        var differing = [Double(difference == nil ? 0 : 1)]
        differing.withUnsafeMutableBufferPointer { replicas.sum($0) }
        guard differing[0] > 0 else { return }
        throw TrainerError.optionsDiffer(rank: rank, flag: difference?.flag, value: difference?.value,
                                         leaderValue: difference.flatMap { leader[$0.flag] }, ranks: Int(differing[0]))
    }
}
