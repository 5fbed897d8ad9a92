/// The argparse-like scanner behind `FlagSet.parse`.
struct FlagParser {
    let specs: [FlagSpec]
    /// Indices of the flags that appeared.
    private(set) var given: Set<Int> = []

    init(specs: [FlagSpec]) {
        self.specs = specs
    }

    /// Whether `token` is a flag rather than a value: it starts with `-` and is not a number
    /// (argparse treats `-1`, `-0.5` as values) nor a lone `-`.
    static func looksLikeFlag(_ token: String) -> Bool {
        guard token.hasPrefix("-"), token.count > 1 else { return false }
        return Double(token) == nil
    }

    mutating func parse(_ arguments: [String], help: String) throws(CommandLineError) -> [SendableValue] {
        // Help wins over every other error, wherever it appears before a "--".
        for token in arguments {
            if token == "--" { break }
            if token == "-h" || token == "--help" { throw .helpRequested(help) }
        }
        var values = specs.map(\.initial)
        var position = 0
        while position < arguments.count {
            let token = arguments[position]
            position += 1
            if token == "--" {
                if position < arguments.count { throw .unexpectedArgument(arguments[position]) }
                break
            }
            guard Self.looksLikeFlag(token) else { throw .unexpectedArgument(token) }
            guard token.hasPrefix("--") else {
                // Single-dash flags: only -h exists (handled above); "-height" is a typo for "--height".
                throw .unknownFlag(token, suggestion: nearestName(to: String(token.dropFirst()), in: specs.map(\.name)))
            }
            var name = String(token.dropFirst(2))
            var inlineValue: String?
            if let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            let index = try resolve(name, token: token)
            let spec = specs[index]
            var tokens: [String] = []
            switch spec.kind {
            case .switch:
                if let inlineValue { throw .unexpectedValue(flag: spec.name, value: inlineValue) }
            case .single:
                if let inlineValue {
                    tokens = [inlineValue]
                } else {
                    guard position < arguments.count, !Self.looksLikeFlag(arguments[position]),
                          arguments[position] != "--" else {
                        throw .missingValue(flag: spec.name, expected: "one value")
                    }
                    tokens = [arguments[position]]
                    position += 1
                }
            case .list:
                if let inlineValue {
                    tokens = [inlineValue]
                } else {
                    while position < arguments.count, !Self.looksLikeFlag(arguments[position]),
                          arguments[position] != "--" {
                        tokens.append(arguments[position])
                        position += 1
                    }
                    if tokens.isEmpty { throw .missingValue(flag: spec.name, expected: "at least one value") }
                }
            }
            // Last occurrence wins, as with argparse's store actions.
            values[index] = try spec.convert(tokens)
            given.insert(index)
        }
        let missing = specs.indices.filter { specs[$0].required && !given.contains($0) }.map { specs[$0].name }
        if !missing.isEmpty { throw .missingRequired(missing) }
        // Only required flags start without a value, and they were all given.
        return values.map { $0 ?? SendableValue(()) }
    }

    /// The index of the flag `name` (exact, else a unique prefix, as argparse's allow_abbrev).
    private func resolve(_ name: String, token: String) throws(CommandLineError) -> Int {
        if let exact = specs.firstIndex(where: { $0.name == name }) { return exact }
        let prefixed = name.isEmpty ? [] : specs.indices.filter { specs[$0].name.hasPrefix(name) }
        if prefixed.count == 1 { return prefixed[0] }
        if prefixed.count > 1 { throw .ambiguousFlag(token, candidates: prefixed.map { specs[$0].name }) }
        let flagPart = token.split(separator: "=", maxSplits: 1).first.map(String.init) ?? token
        throw .unknownFlag(flagPart, suggestion: nearestName(to: name, in: specs.map(\.name)))
    }
}
