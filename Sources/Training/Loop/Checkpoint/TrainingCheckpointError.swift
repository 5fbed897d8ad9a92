/// Why a run could not be resumed: its folder or its `trainer_state.json` could not be found or
/// read. Every case names the path.
public enum TrainingCheckpointError: Error, CustomStringConvertible, Equatable, Sendable {
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

    public var description: String {
        switch self {
        case let .fileSystem(path, problem): return "\(path): \(problem)"
        case let .resumeNotFound(path): return "\(path): no such folder to resume from"
        case let .noWeightsToResume(path):
            return "\(path): no complete weights_N folder to resume from (looked in \(path) and \(path)/models)"
        case let .notResumable(folder):
            return "\(folder): no \(TrainerState.fileName), so the run cannot be resumed exactly "
                + "(use --load_weights_folder to start a new run from these weights)"
        case let .badState(file, problem): return "\(file): \(problem)"
        }
    }
}
