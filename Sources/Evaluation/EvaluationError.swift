import KITTIData

/// Everything in evaluation and ground-truth export that a user's files or flags can cause.
/// Each case names the file (or flag) and the problem, so the message is one clear line.
public enum EvaluationError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A split list line that cannot be used (1-based line number).
    case malformedSplitLine(file: String, line: Int, text: String, reason: String)
    /// A file the split or the options refer to does not exist or cannot be read.
    case missingFile(path: String, what: String)
    /// A file whose content is not what it must be (bad size, bad value, bad layout).
    case malformedFile(path: String, problem: String)
    /// Two inputs disagree on how many items there are.
    case countMismatch(path: String, what: String, expected: Int, found: Int)
    /// An array of the wrong shape or element type.
    case badShape(path: String, expected: String, found: String)
    /// Flags that cannot be honoured.
    case invalidOptions(String)
    /// A feature this build cannot run yet.
    case unavailable(String)
    /// An input image that cannot be read or decoded (the message names the file).
    case unreadableImage(String)

    public var description: String {
        switch self {
        case let .malformedSplitLine(file, line, text, reason):
            return "\(file):\(line): \(reason): \"\(text)\""
        case let .missingFile(path, what):
            return "\(path): cannot read \(what)"
        case let .malformedFile(path, problem):
            return "\(path): \(problem)"
        case let .countMismatch(path, what, expected, found):
            return "\(path): \(found) \(what), expected \(expected)"
        case let .badShape(path, expected, found):
            return "\(path): expected \(expected), found \(found)"
        case let .invalidOptions(message):
            return message
        case let .unavailable(message):
            return message
        case let .unreadableImage(message):
            return message
        }
    }
}

extension EvaluationError {
    /// The same problem as evaluation reports it (the KITTI formats live in `KITTIData`).
    public init(_ error: KITTIDataError) {
        switch error {
        case let .malformedSplitLine(file, line, text, reason): self = .malformedSplitLine(file: file, line: line, text: text, reason: reason)
        case let .missingFile(path, what): self = .missingFile(path: path, what: what)
        case let .malformedFile(path, problem): self = .malformedFile(path: path, problem: problem)
        case let .badShape(path, expected, found): self = .badShape(path: path, expected: expected, found: found)
        case let .invalidArgument(message): self = .invalidOptions(message)
        case .invalidSplit(let file, _): self = .malformedFile(path: file, problem: String(error.description.dropFirst(file.count + 2)))
        case .unreadableImage, .tooManyBadImages: self = .unreadableImage(error.description)
        }
    }

    /// Runs a `KITTIData` call, reporting its error as an `EvaluationError`.
    static func converting<T>(_ body: () throws(KITTIDataError) -> T) throws(EvaluationError) -> T {
        do { return try body() } catch { throw EvaluationError(error) }
    }
}
