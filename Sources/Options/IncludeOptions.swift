import CommandLineKit

/// The shared options declared on a tool's `FlagSet`: turns its parsed flags into `MonodepthOptions`.
public struct DeclaredOptions {
    let defaults: MonodepthOptions
    let binders: [OptionBinder]

    /// The options of a parsed command line: the defaults, overwritten by every flag that was given.
    public func options(from parsed: ParsedFlags) -> MonodepthOptions {
        var options = defaults
        for bind in binders { bind(parsed, &options) }
        return options
    }
}

extension FlagSet {
    /// Declares `entries` (under their options.py headings) on this flag set, with defaults read from
    /// `defaults`. Declare the tool's own flags after this call, under a `group` of their own.
    public mutating func include(_ entries: [OptionEntry] = OptionTable.original,
                                 defaults: MonodepthOptions = MonodepthOptions()) -> DeclaredOptions {
        var binders: [OptionBinder] = []
        var currentGroup: String?
        for entry in entries {
            if entry.group != currentGroup {
                group(entry.group)
                currentGroup = entry.group
            }
            binders.append(entry.declare(&self, defaults))
        }
        return DeclaredOptions(defaults: defaults, binders: binders)
    }
}

extension MonodepthOptions {
    /// Parses a command line (without the program name) that takes `entries` and nothing else.
    /// Throws `CommandLineError` (`.helpRequested` for `-h`); does not validate (see `validate(for:)`).
    public static func parse(_ arguments: [String], program: String, overview: String = "",
                             entries: [OptionEntry] = OptionTable.entries,
                             defaults: MonodepthOptions = MonodepthOptions()) throws(CommandLineError) -> MonodepthOptions {
        var flags = FlagSet(program: program, overview: overview)
        let declared = flags.include(entries, defaults: defaults)
        return declared.options(from: try flags.parse(arguments))
    }
}
