import Networks

/// Why a training checkpoint could not be written, found or read. Every case names the path.
public enum TrainingCheckpointError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A value to be saved is NaN or infinite: nothing was written.
    case nonFinite(folder: String, file: String, key: String)
    /// A model or optimizer file failed (the Networks checkpoint problem).
    case checkpoint(CheckpointError)
    /// A folder or file operation failed.
    case fileSystem(path: String, problem: String)
    /// `--resume` names nothing that exists.
    case resumeNotFound(path: String)
    /// `--resume` names a folder with no complete `weights_N` (with `trainer_state.json`) in it.
    case noWeightsToResume(path: String)
    /// A weights folder without `trainer_state.json` (the original trainer's, or not ours).
    case notResumable(folder: String)
    /// `trainer_state.json` is unreadable or inconsistent.
    case badState(file: String, problem: String)
    /// `--load_weights_folder` names no folder.
    case loadFolderNotFound(path: String)
    /// `--models_to_load` names a network the trainer does not have.
    case unknownModel(name: String, available: [String])

    public var description: String {
        switch self {
        case let .nonFinite(folder, file, key):
            return "\(folder): not saved: \(file) entry \(key) holds a NaN or infinite value"
        case let .checkpoint(error): return error.description
        case let .fileSystem(path, problem): return "\(path): \(problem)"
        case let .resumeNotFound(path): return "\(path): no such folder to resume from"
        case let .noWeightsToResume(path):
            return "\(path): no complete weights_N folder to resume from (looked in \(path) and \(path)/models)"
        case let .notResumable(folder):
            return "\(folder): no \(TrainerState.fileName), so the run cannot be resumed exactly "
                + "(use --load_weights_folder to start a new run from these weights)"
        case let .badState(file, problem): return "\(file): \(problem)"
        case let .loadFolderNotFound(path): return "Cannot find folder \(path) (--load_weights_folder)"
        case let .unknownModel(name, available):
            return "--models_to_load: this run has no '\(name)' network (it has \(available.joined(separator: ", ")))"
        }
    }
}
