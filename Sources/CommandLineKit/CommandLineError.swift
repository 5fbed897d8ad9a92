/// A usage error: what `FlagSet.parse` throws, and what tools throw for their own flag rules.
/// `description` is one line; `runMain` prints it as `error: ...` and exits with status 2.
public enum CommandLineError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A flag nobody declared; `suggestion` is the nearest declared flag, if one is close.
    case unknownFlag(String, suggestion: String?)
    /// An abbreviation matching several flags (argparse accepts unique prefixes).
    case ambiguousFlag(String, candidates: [String])
    /// An option without its value(s); `expected` says how many, e.g. "one value".
    case missingValue(flag: String, expected: String)
    /// A value that does not parse as the flag's type.
    case invalidValue(flag: String, value: String, type: String)
    /// A value outside the flag's choices.
    case invalidChoice(flag: String, value: String, choices: [String])
    /// `--switch=value`: switches take no value.
    case unexpectedValue(flag: String, value: String)
    /// Required flags that were not given.
    case missingRequired([String])
    /// A token that is neither a flag nor a flag's value.
    case unexpectedArgument(String)
    /// `-h`/`--help`: not a failure; `runMain` prints the text to stdout and exits with status 0.
    case helpRequested(String)
    /// A tool's own rule, e.g. "exactly one of --eval_mono and --eval_stereo is required".
    case usage(String)

    public var description: String {
        switch self {
        case let .unknownFlag(flag, suggestion):
            if let suggestion { return "unrecognized flag \(flag) (did you mean --\(suggestion)?)" }
            return "unrecognized flag \(flag)"
        case let .ambiguousFlag(flag, candidates):
            return "ambiguous flag \(flag) could match " + candidates.map { "--\($0)" }.joined(separator: ", ")
        case let .missingValue(flag, expected):
            return "argument --\(flag): expected \(expected)"
        case let .invalidValue(flag, value, type):
            return "argument --\(flag): invalid \(type) value: '\(value)'"
        case let .invalidChoice(flag, value, choices):
            return "argument --\(flag): invalid choice: '\(value)' (choose from "
                + choices.map { "'\($0)'" }.joined(separator: ", ") + ")"
        case let .unexpectedValue(flag, value):
            return "argument --\(flag): takes no value (got '\(value)')"
        case let .missingRequired(flags):
            return "the following arguments are required: " + flags.map { "--\($0)" }.joined(separator: ", ")
        case let .unexpectedArgument(token):
            return "unexpected argument '\(token)'"
        case let .helpRequested(text):
            return text
        case let .usage(message):
            return message
        }
    }
}

/// An error about the command line raised after parsing (e.g. a library's validation of the parsed
/// values): `runMain` treats it as a usage error, printing `error: <description>` and exiting with 2.
public protocol CommandLineUsageError: Error, CustomStringConvertible {}

/// Levenshtein distance between two strings (insertions, deletions, substitutions cost 1).
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
            current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}

/// The declared name closest to `name` (dashes read as underscores, case ignored), when it is within
/// a third of the name's length (at least 2 edits), else nil.
func nearestName(to name: String, in names: [String]) -> String? {
    let normalized = name.lowercased().replacingDashes()
    var bestName: String?
    var bestDistance = Int.max
    for candidate in names {
        let distance = editDistance(normalized, candidate.lowercased())
        if distance < bestDistance {
            bestName = candidate
            bestDistance = distance
        }
    }
    guard bestDistance <= max(2, normalized.count / 3) else { return nil }
    return bestName
}

extension String {
    func replacingDashes() -> String {
        String(map { $0 == "-" ? "_" : $0 })
    }
}
