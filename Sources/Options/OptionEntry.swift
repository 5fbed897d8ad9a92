import CommandLineKit

/// Where a flag comes from: the original options.py, or an extension of ours.
public enum OptionOrigin: Sendable {
    case original
    case `extension`
}

/// One flag of the shared table: its name, help heading, how it is declared on a `FlagSet` (with
/// its default read from the defaults' key path) and how its value is written into opt.json.
public struct OptionEntry {
    /// The flag without dashes, as the original spells it (also its opt.json key).
    public let name: String
    /// The help heading (options.py's section comments).
    public let group: String
    public let origin: OptionOrigin
    /// Declares the flag on a `FlagSet`; returns what copies its parsed value into the options.
    let declare: (inout FlagSet, MonodepthOptions) -> OptionBinder
    /// The value opt.json holds for this flag (after the trainer's own changes); nil for our extensions.
    let json: ((MonodepthOptions) -> PythonJSON)?

    /// The opt.json value of this flag for `options`, nil for flags opt.json does not hold.
    public func jsonValue(of options: MonodepthOptions) -> PythonJSON? {
        json?(options)
    }
}

/// Copies one flag's parsed value into the options (and records that it was given).
typealias OptionBinder = (ParsedFlags, inout MonodepthOptions) -> Void

extension OptionEntry {
    typealias Options = MonodepthOptions

    /// An option with one value (`type=T`, with a default).
    static func option<T: FlagValue & PythonJSONRepresentable>(
        _ name: String, _ keyPath: WritableKeyPath<Options, T>, group: String, choices: [T]? = nil,
        help: String, origin: OptionOrigin = .original, json: ((Options) -> PythonJSON)? = nil
    ) -> OptionEntry {
        OptionEntry(name: name, group: group, origin: origin, declare: { flags, defaults in
            let handle = flags.option(name, default: defaults[keyPath: keyPath], choices: choices, help: help)
            return bind(handle, keyPath)
        }, json: jsonOf(keyPath, origin: origin, override: json))
    }

    /// An option with one value and no default (None unless given).
    static func optional<T: FlagValue & PythonJSONRepresentable>(
        _ name: String, _ keyPath: WritableKeyPath<Options, T?>, group: String, help: String,
        origin: OptionOrigin = .original, json: ((Options) -> PythonJSON)? = nil
    ) -> OptionEntry {
        OptionEntry(name: name, group: group, origin: origin, declare: { flags, _ in
            bind(flags.optionalOption(name, type: T.self, help: help), keyPath)
        }, json: jsonOf(keyPath, origin: origin, override: json))
    }

    /// An option with one or more values (`nargs="+"`).
    static func list<T: FlagValue & PythonJSONRepresentable>(
        _ name: String, _ keyPath: WritableKeyPath<Options, [T]>, group: String, help: String,
        origin: OptionOrigin = .original, json: ((Options) -> PythonJSON)? = nil
    ) -> OptionEntry {
        OptionEntry(name: name, group: group, origin: origin, declare: { flags, defaults in
            bind(flags.list(name, default: defaults[keyPath: keyPath], help: help), keyPath)
        }, json: jsonOf(keyPath, origin: origin, override: json))
    }

    /// A switch (`action="store_true"`).
    static func flag(_ name: String, _ keyPath: WritableKeyPath<Options, Bool>, group: String, help: String,
                     origin: OptionOrigin = .original) -> OptionEntry {
        OptionEntry(name: name, group: group, origin: origin, declare: { flags, _ in
            bind(flags.flag(name, help: help), keyPath)
        }, json: jsonOf(keyPath, origin: origin, override: nil))
    }

    private static func bind<T>(_ handle: Flag<T>, _ keyPath: WritableKeyPath<Options, T>) -> OptionBinder {
        { parsed, options in
            // Keep values set in code (the defaults passed to `declare`) unless the flag was given.
            guard parsed.wasGiven(handle) else { return }
            options[keyPath: keyPath] = parsed[handle]
            options.givenFlags.insert(handle.name)
        }
    }

    private static func jsonOf<T: PythonJSONRepresentable>(
        _ keyPath: WritableKeyPath<Options, T>, origin: OptionOrigin, override: ((Options) -> PythonJSON)?
    ) -> ((Options) -> PythonJSON)? {
        guard origin == .original else { return nil }
        return override ?? { $0[keyPath: keyPath].pythonJSON }
    }
}
