/// A typed handle to one declared flag; read its parsed value with `ParsedFlags[handle]`.
public struct Flag<Value>: Sendable, Hashable {
    /// The flag's name without dashes, e.g. `frame_ids`.
    public let name: String
    let index: Int
}

/// One table of argparse-style flags for a tool: declare each flag once (typed, with its default,
/// choices and help), then `parse` the command line into `ParsedFlags`.
///
/// Accepted syntax, as argparse: `--name value`, `--name=value`, switches `--name`, lists
/// `--name v1 v2 ...` (nargs '+', stopping at the next flag; negative numbers such as `-1` are values),
/// unique prefixes of long names (`--eval_mo` = `--eval_mono`), a repeated flag keeps its last value,
/// `-h`/`--help` anywhere asks for help.
///
/// ```swift
/// var flags = FlagSet(program: "evaluate", overview: "Evaluates a Monodepth2 model on KITTI.")
/// let height = flags.option("height", default: 192, help: "input image height")
/// let frames = flags.list("frame_ids", default: [0, -1, 1], help: "frames to load")
/// let stereo = flags.flag("use_stereo", help: "use the stereo pair for training")
/// let parsed = try flags.parse(CommandLine.arguments.dropFirst())
/// let frameIDs: [Int] = parsed[frames]
/// ```
public struct FlagSet: Sendable {
    /// Program name shown in the usage line.
    public var program: String
    /// One paragraph shown under the usage line.
    public var overview: String
    var specs: [FlagSpec] = []
    var currentGroup: String?

    public init(program: String, overview: String = "") {
        self.program = program
        self.overview = overview
    }

    /// Puts the flags declared after this call under a help heading.
    public mutating func group(_ title: String) {
        currentGroup = title
    }

    /// A boolean switch (argparse `store_true`): false unless given.
    public mutating func flag(_ name: String, help: String) -> Flag<Bool> {
        add(name, kind: .switch, help: help, valueName: "", choices: nil, defaultText: nil, required: false,
            initial: false) { (_: String, _: [String]) throws(CommandLineError) -> Bool in true }
    }

    /// An option with one value and a default.
    public mutating func option<T: FlagValue>(_ name: String, default value: T, choices: [T]? = nil,
                                              help: String) -> Flag<T> {
        let allowed = Self.allowed(choices)
        return add(name, kind: .single, help: help, valueName: T.valueName, choices: allowed,
                   defaultText: value.flagArgument, required: false, initial: value) { (flag: String, tokens: [String]) throws(CommandLineError) -> T in
            try Self.convert(tokens[0], flag: flag, as: T.self, allowed: allowed)
        }
    }

    /// An option with one value that must be given.
    public mutating func requiredOption<T: FlagValue>(_ name: String, type: T.Type = T.self, choices: [T]? = nil,
                                                      help: String) -> Flag<T> {
        let allowed = Self.allowed(choices)
        return add(name, kind: .single, help: help, valueName: T.valueName, choices: allowed, defaultText: nil,
                   required: true, initial: T?.none) { (flag: String, tokens: [String]) throws(CommandLineError) -> T in
            try Self.convert(tokens[0], flag: flag, as: T.self, allowed: allowed)
        }
    }

    /// An option with one value and no default: nil unless given.
    public mutating func optionalOption<T: FlagValue>(_ name: String, type: T.Type = T.self, choices: [T]? = nil,
                                                      help: String) -> Flag<T?> {
        let allowed = Self.allowed(choices)
        return add(name, kind: .single, help: help, valueName: T.valueName, choices: allowed, defaultText: nil,
                   required: false, initial: T??.some(nil)) { (flag: String, tokens: [String]) throws(CommandLineError) -> T? in
            T?.some(try Self.convert(tokens[0], flag: flag, as: T.self, allowed: allowed))
        }
    }

    /// An option with one or more values (argparse `nargs='+'`) and a default list.
    public mutating func list<T: FlagValue>(_ name: String, default values: [T], choices: [T]? = nil,
                                            help: String) -> Flag<[T]> {
        let allowed = Self.allowed(choices)
        let defaultText = values.isEmpty ? nil : values.map(\.flagArgument).joined(separator: " ")
        return add(name, kind: .list, help: help, valueName: T.valueName, choices: allowed,
                   defaultText: defaultText, required: false, initial: values) { (flag: String, tokens: [String]) throws(CommandLineError) -> [T] in
            var parsed: [T] = []
            for token in tokens { parsed.append(try Self.convert(token, flag: flag, as: T.self, allowed: allowed)) }
            return parsed
        }
    }

    /// Parses `arguments` (without the program name). Throws `CommandLineError`; `.helpRequested` carries
    /// the help text when `-h`/`--help` is present.
    public func parse<S: Sequence>(_ arguments: S) throws(CommandLineError) -> ParsedFlags where S.Element == String {
        var parser = FlagParser(specs: specs)
        let values = try parser.parse(Array(arguments), help: helpText)
        return ParsedFlags(values: values, given: parser.given)
    }

    /// Parses this process's arguments (`CommandLine.arguments` without the program name).
    public func parseCommandLine() throws(CommandLineError) -> ParsedFlags {
        try parse(CommandLine.arguments.dropFirst())
    }

    // MARK: - Declarations

    private mutating func add<Value>(
        _ name: String, kind: FlagSpec.Kind, help: String, valueName: String, choices: [String]?,
        defaultText: String?, required: Bool, initial: Value?,
        convert: @escaping @Sendable (String, [String]) throws(CommandLineError) -> Value
    ) -> Flag<Value> {
        precondition(!name.isEmpty && !name.hasPrefix("-") && !name.contains("="),
                     "FlagSet: flag name '\(name)' must be given without dashes and without '='")
        precondition(!specs.contains { $0.name == name } && name != "help",
                     "FlagSet: flag --\(name) is declared twice")
        let spec = FlagSpec(
            name: name, kind: kind, help: help, group: currentGroup, valueName: valueName, choices: choices,
            defaultText: defaultText, required: required,
            initial: initial.map { SendableValue($0) },
            convert: { tokens throws(CommandLineError) in SendableValue(try convert(name, tokens)) })
        specs.append(spec)
        return Flag(name: name, index: specs.count - 1)
    }

    private static func allowed<T: FlagValue>(_ choices: [T]?) -> [String]? {
        (choices ?? T.allowedValues)?.map(\.flagArgument)
    }

    private static func convert<T: FlagValue>(_ token: String, flag: String, as type: T.Type,
                                              allowed: [String]?) throws(CommandLineError) -> T {
        guard let value = T(flagArgument: token) else {
            if let allowed { throw .invalidChoice(flag: flag, value: token, choices: allowed) }
            throw .invalidValue(flag: flag, value: token, type: T.typeName)
        }
        if let allowed, !allowed.contains(value.flagArgument) {
            throw .invalidChoice(flag: flag, value: token, choices: allowed)
        }
        return value
    }
}

/// The parsed values of one command line, read with the handles `FlagSet` returned.
public struct ParsedFlags: Sendable {
    let values: [SendableValue]
    let given: Set<Int>

    /// The flag's value: what the command line gave (last occurrence), else its default.
    public subscript<Value>(flag: Flag<Value>) -> Value {
        guard flag.index < values.count, let value = values[flag.index].value as? Value else {
            preconditionFailure("ParsedFlags: --\(flag.name) was declared in another FlagSet or with another type")
        }
        return value
    }

    /// Whether the flag appeared on the command line.
    public func wasGiven<Value>(_ flag: Flag<Value>) -> Bool {
        given.contains(flag.index)
    }
}

/// One declared flag, type-erased; `convert` turns its tokens into the typed value.
struct FlagSpec: Sendable {
    enum Kind: Sendable { case `switch`, single, list }

    let name: String
    let kind: Kind
    let help: String
    let group: String?
    let valueName: String
    let choices: [String]?
    let defaultText: String?
    let required: Bool
    /// The value when the flag is absent (nil for required flags).
    let initial: SendableValue?
    let convert: @Sendable ([String]) throws(CommandLineError) -> SendableValue
}

/// A parsed value of a `FlagValue` type (or an array or optional of one); all of them are Sendable.
struct SendableValue: @unchecked Sendable {
    let value: Any
    init(_ value: Any) { self.value = value }
}
