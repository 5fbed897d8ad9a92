/// A type a flag's value can have: parsed from one command-line token, printed back for help defaults.
///
/// `Int`, `Double`, `Float` and `String` conform; a `String`-backed `CaseIterable` enum conforms by
/// declaring it (`enum Split: String, CaseIterable, FlagValue { case eigen; case eigenBenchmark =
/// "eigen_benchmark" }`) and then offers its raw values as choices.
public protocol FlagValue: Sendable {
    /// The value of one token, or nil when the token is not a valid value of this type.
    init?(flagArgument: String)
    /// The token that parses back to this value (shown as a default in help).
    var flagArgument: String { get }
    /// Placeholder in help text, e.g. `INT`.
    static var valueName: String { get }
    /// Type name in error messages, e.g. `int` (argparse's wording: "invalid int value").
    static var typeName: String { get }
    /// Every allowed value, when the type itself restricts them (enums); nil otherwise.
    static var allowedValues: [Self]? { get }
}

extension FlagValue {
    public static var allowedValues: [Self]? { nil }
}

extension Int: FlagValue {
    public init?(flagArgument: String) {
        // Python's int() accepts surrounding whitespace, a sign and digit-group underscores.
        let trimmed = flagArgument.trimmingWhitespace().removingUnderscoresBetweenDigits()
        guard let value = Int(trimmed) else { return nil }
        self = value
    }
    public var flagArgument: String { String(self) }
    public static var valueName: String { "INT" }
    public static var typeName: String { "int" }
}

extension Double: FlagValue {
    public init?(flagArgument: String) {
        // Python's float() accepts what Swift's parser does (1e-3, .5, inf, nan) plus whitespace
        // and underscores between digits.
        let trimmed = flagArgument.trimmingWhitespace().removingUnderscoresBetweenDigits()
        guard !trimmed.isEmpty, let value = Double(trimmed) else { return nil }
        self = value
    }
    public var flagArgument: String { "\(self)" }
    public static var valueName: String { "FLOAT" }
    public static var typeName: String { "float" }
}

extension Float: FlagValue {
    public init?(flagArgument: String) {
        guard let value = Double(flagArgument: flagArgument) else { return nil }
        self = Float(value)
    }
    public var flagArgument: String { "\(self)" }
    public static var valueName: String { "FLOAT" }
    public static var typeName: String { "float" }
}

extension String: FlagValue {
    public init?(flagArgument: String) { self = flagArgument }
    public var flagArgument: String { self }
    public static var valueName: String { "STR" }
    public static var typeName: String { "str" }
}

extension FlagValue where Self: RawRepresentable & CaseIterable, RawValue == String {
    public init?(flagArgument: String) { self.init(rawValue: flagArgument) }
    public var flagArgument: String { rawValue }
    public static var valueName: String { "STR" }
    public static var typeName: String { "str" }
    public static var allowedValues: [Self]? { Array(allCases) }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }

    /// `1_000` -> `1000` (only underscores with a digit on both sides, as Python allows).
    func removingUnderscoresBetweenDigits() -> String {
        let characters = Array(self)
        guard characters.contains("_") else { return self }
        var result = ""
        for (index, character) in characters.enumerated() {
            if character == "_", index > 0, index + 1 < characters.count,
               characters[index - 1].isASCII, characters[index - 1].isNumber,
               characters[index + 1].isASCII, characters[index + 1].isNumber {
                continue
            }
            result.append(character)
        }
        return result
    }
}
