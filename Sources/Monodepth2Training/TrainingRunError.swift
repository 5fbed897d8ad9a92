/// Why a `TrainingRun` could not be set up or stopped with an error. `description` is one line
/// naming the flag or the file and the problem (the line `train` prints after `error: `).
public enum TrainingRunError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The argument list is not a valid `train` command line (unknown flag, bad value, `--help`).
    case invalidArguments(String)
    /// The run could not start: options that do not go together, a split or image that cannot be
    /// read, weights that cannot be loaded, an output folder that cannot be written.
    case setupFailed(String)
    /// The run stopped with an error: a file that could not be read or written, or a loss or weight
    /// that became infinite (the message names the last good weights folder).
    case trainingFailed(String)

    /// One line: what is wrong, naming the flag or the file.
    public var description: String {
        switch self {
        case let .invalidArguments(message), let .setupFailed(message), let .trainingFailed(message):
            return message
        }
    }
}
