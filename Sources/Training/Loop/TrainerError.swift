import Foundation

/// Why a training run stopped early. Under data parallelism every rank reaches each of these at
/// the same point (the losses, options and data are the same everywhere), so the ranks stop
/// together; `isReportedByEveryRank` says which messages differ per rank.
public enum TrainerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A non-finite loss (or weight): the run stops before anything non-finite is saved.
    case diverged(epoch: Int, step: Int, what: String, lastGood: String?)
    /// The split holds fewer samples than one batch.
    case emptyEpoch(split: String, samples: Int, batchSize: Int)
    /// Data parallelism: the processes do not divide the batch evenly.
    case batchNotDivisible(batchSize: Int, processes: Int)
    /// Data parallelism: this rank's flags differ from rank 0's (`flag` nil: another rank's do).
    case optionsDiffer(rank: Int, flag: String?, value: String?, leaderValue: String?, ranks: Int)

    public var description: String {
        switch self {
        case let .diverged(epoch, step, what, lastGood):
            let resume = lastGood.map { "the last good weights are in \($0) (continue with --resume \($0), e.g. at a lower --learning_rate)" }
                ?? "no weights were saved before it"
            return "training diverged at epoch \(epoch), step \(step): \(what) is not finite; nothing was saved from this point; \(resume)"
        case let .batchNotDivisible(batchSize, processes):
            return "--batch_size \(batchSize) cannot be shared by \(processes) processes: each takes an equal part of every "
                + "batch (choose a batch size that \(processes) divides, or another number of processes)"
        case let .optionsDiffer(rank, flag?, value, leaderValue, _):
            return "rank \(rank) was started with --\(flag) \(value ?? "?") but rank 0 with \(leaderValue ?? "(nothing)"): "
                + "every process of a run needs the same flags"
        case let .optionsDiffer(_, nil, _, _, ranks):
            return "\(ranks) process(es) were started with other flags than rank 0 (each names its flag): "
                + "every process of a run needs the same flags"
        case let .emptyEpoch(split, samples, batchSize):
            return "\(split) has \(samples) samples, fewer than one batch of --batch_size \(batchSize) (the loader drops the last partial batch)"
        }
    }

    /// Whether each rank has its own message (the ranks whose flags differ); otherwise rank 0 speaks
    /// for all.
    public var isReportedByEveryRank: Bool {
        if case .optionsDiffer(_, _?, _, _, _) = self { return true }
        return false
    }
}
