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
    /// Another process holds the run folder's lock (`holder`: its PID, when it has written it).
    case runFolderLocked(folder: String, holder: Int32?)
    /// The run folder cannot be created, locked or written (`cause`: the system's reason).
    case runFolderUnusable(folder: String, cause: String)
    /// `--resume` with flags that define the run set differently from the resumed run's opt.json.
    case resumeDiffers(folder: String, differences: [ResumeAgreement.Difference])
    /// Writing a weights folder failed (disk full, permissions): nothing of it was kept.
    case saveFailed(folder: String, lastGood: String?, cause: String)
    /// SIGINT or SIGTERM stopped the run between two steps (any save in progress was finished).
    case interrupted(signal: Int32, epoch: Int, step: Int, lastGood: String?)

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
        case let .runFolderLocked(folder, holder):
            return "\(folder) is in use by another train process (PID \(holder.map(String.init) ?? "unknown"), holding "
                + "\(folder)/\(RunFolderLock.fileName)): one run per folder; choose another --model_name or --log_dir, "
                + "or stop that process"
        case let .runFolderUnusable(folder, cause):
            return "run folder \(folder): \(cause); nothing was trained or saved"
        case let .resumeDiffers(folder, differences):
            return "--resume \(folder): these flags define the run and differ from its opt.json: "
                + differences.map(\.description).joined(separator: ", ")
                + " (give the run's values, or start a new run from these weights with --load_weights_folder, "
                + "which allows another size)"
        case let .saveFailed(folder, lastGood, cause):
            let kept = lastGood.map { "the last good weights are in \($0) (continue with --resume \($0))" }
                ?? "no weights folder was completed before it"
            return "cannot save \(folder) (run folder \(URL(fileURLWithPath: folder).deletingLastPathComponent().deletingLastPathComponent().path)): "
                + "\(cause); nothing of it was kept; \(kept)"
        case let .interrupted(signal, epoch, step, lastGood):
            let name = signal == SIGTERM ? "SIGTERM" : "SIGINT"
            let resume = lastGood.map { "the last complete weights folder is \($0)" } ?? "no weights folder was completed"
            return "stopped by \(name) at epoch \(epoch), step \(step): \(resume)"
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
