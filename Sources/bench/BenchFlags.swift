/// A tiny flag parser local to bench: `--name value` pairs and bare `--switch`es.
struct BenchFlags {
    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    private var values: [String: String] = [:]
    private var lists: [String: [String]] = [:]
    private var switches: Set<String> = []
    private var used: Set<String> = []

    init(_ arguments: [String]) throws {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            guard argument.hasPrefix("--"), argument.count > 2 else {
                throw Problem(description: "unexpected argument '\(argument)' (flags look like --name value)")
            }
            let name = String(argument.dropFirst(2))
            if index + 1 < arguments.count, !arguments[index + 1].hasPrefix("--") {
                values[name] = arguments[index + 1]
                index += 2
                // Further values make a list (`--frame_ids 0 -1 1`).
                while index < arguments.count, !arguments[index].hasPrefix("--") {
                    lists[name, default: [values[name]!]].append(arguments[index])
                    index += 1
                }
            } else {
                switches.insert(name)
                index += 1
            }
        }
    }

    /// All values of a list flag (`--frame_ids 0 -1 1`), nil when absent.
    mutating func strings(_ name: String) -> [String]? {
        used.insert(name)
        return lists[name] ?? values[name].map { [$0] }
    }

    mutating func int(_ name: String, default fallback: Int? = nil) throws -> Int {
        used.insert(name)
        if lists[name] != nil { throw Problem(description: "--\(name) takes one value") }
        guard let text = values[name] else {
            if let fallback { return fallback }
            throw Problem(description: "missing --\(name) N")
        }
        guard let value = Int(text), value >= 0 else { throw Problem(description: "--\(name) '\(text)' is not a count") }
        return value
    }

    mutating func double(_ name: String, default fallback: Double) throws -> Double {
        used.insert(name)
        guard let text = values[name] else { return fallback }
        guard let value = Double(text), value > 0 else { throw Problem(description: "--\(name) '\(text)' is not a positive number") }
        return value
    }

    mutating func string(_ name: String) throws -> String {
        used.insert(name)
        guard let text = values[name] else { throw Problem(description: "missing --\(name) VALUE") }
        return text
    }

    mutating func string(_ name: String, default fallback: String, allowed: [String]) throws -> String {
        used.insert(name)
        let value = values[name] ?? fallback
        guard allowed.contains(value) else {
            throw Problem(description: "--\(name) '\(value)' is not one of \(allowed.joined(separator: ", "))")
        }
        return value
    }

    mutating func flag(_ name: String) -> Bool {
        used.insert(name)
        return switches.contains(name)
    }

    /// Fails on flags the case did not ask for (typos).
    func checkAllUsed() throws {
        let unknown = Set(values.keys).union(switches).subtracting(used)
        if !unknown.isEmpty { throw Problem(description: "unknown flag(s): \(unknown.sorted().map { "--" + $0 }.joined(separator: ", "))") }
    }
}
