/// Everything a user's KITTI files or a split list can get wrong. Each case names the file and the
/// problem, so the message is one clear line (or, for a whole split, one block).
public enum KITTIDataError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A split list line that cannot be used (1-based line number).
    case malformedSplitLine(file: String, line: Int, text: String, reason: String)
    /// A file the split or the options refer to does not exist or cannot be read.
    case missingFile(path: String, what: String)
    /// A file whose content is not what it must be (bad size, bad value, bad layout).
    case malformedFile(path: String, problem: String)
    /// An array or image of the wrong shape.
    case badShape(path: String, expected: String, found: String)
    /// A request the data layer cannot honour (a camera that is not 2 or 3, an empty split...).
    case invalidArgument(String)
    /// The fail-fast check of a whole split: every malformed line and missing file, in line order.
    case invalidSplit(file: String, problems: [SplitProblem])
    /// An image named by a split line that cannot be decoded (found while loading a batch).
    case unreadableImage(path: String, splitFile: String, line: Int, problem: String)
    /// More images than `--max_bad_frames` cannot be decoded (each was skipped until then).
    case tooManyBadImages(limit: Int, paths: [String])

    /// How many problems of an `invalidSplit` are listed in full; the rest are counted.
    public static let listedProblems = 10

    public var description: String {
        switch self {
        case let .malformedSplitLine(file, line, text, reason):
            return "\(file):\(line): \(reason): \"\(text)\""
        case let .missingFile(path, what):
            return "\(path): cannot read \(what)"
        case let .malformedFile(path, problem):
            return "\(path): \(problem)"
        case let .badShape(path, expected, found):
            return "\(path): expected \(expected), found \(found)"
        case let .invalidArgument(message):
            return message
        case let .invalidSplit(file, problems):
            let lines = Set(problems.map(\.line)).count
            var text = "\(file): \(problems.count) problem\(problems.count == 1 ? "" : "s") on \(lines) line\(lines == 1 ? "" : "s")"
            if problems.count > Self.listedProblems { text += " (first \(Self.listedProblems) listed)" }
            for problem in problems.prefix(Self.listedProblems) { text += "\n  \(file):\(problem.line): \(problem.message)" }
            return text
        case let .unreadableImage(path, splitFile, line, problem):
            return "\(path): cannot decode image (\(splitFile):\(line)): \(problem)"
        case let .tooManyBadImages(limit, paths):
            return "\(paths.count) images cannot be decoded, more than --max_bad_frames \(limit): "
                + paths.prefix(Self.listedProblems).joined(separator: ", ")
                + (paths.count > Self.listedProblems ? " (and \(paths.count - Self.listedProblems) more)" : "")
        }
    }
}

/// One problem of a split found by the fail-fast check: a malformed line or a missing file.
public struct SplitProblem: Equatable, Sendable {
    /// 1-based line number in the split file.
    public var line: Int
    /// What is wrong: `missing image <path>` or the reason the line cannot be parsed.
    public var message: String
    /// The missing file, if that is the problem.
    public var path: String?

    public init(line: Int, message: String, path: String? = nil) {
        self.line = line
        self.message = message
        self.path = path
    }
}
