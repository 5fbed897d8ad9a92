import Foundation

/// Why a training run stopped early.
public enum TrainerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A non-finite loss (or weight): the run stops before anything non-finite is saved.
    case diverged(epoch: Int, step: Int, what: String, lastGood: String?)
    /// The split holds fewer samples than one batch.
    case emptyEpoch(split: String, samples: Int, batchSize: Int)

    public var description: String {
        switch self {
        case let .diverged(epoch, step, what, lastGood):
            let resume = lastGood.map { "the last good weights are in \($0) (continue with --resume \($0), e.g. at a lower --learning_rate)" }
                ?? "no weights were saved before it"
            return "training diverged at epoch \(epoch), step \(step): \(what) is not finite; nothing was saved from this point; \(resume)"
        case let .emptyEpoch(split, samples, batchSize):
            return "\(split) has \(samples) samples, fewer than one batch of --batch_size \(batchSize) (the loader drops the last partial batch)"
        }
    }
}
