import Foundation

/// The command that continues an interrupted run: the command line as given, without any
/// `--resume`, plus `--resume FOLDER`; arguments a shell would split or expand are single-quoted.
public enum ResumeCommand {
    public static func line(arguments: [String], resumeFrom folder: String) -> String {
        var kept: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--resume" {
                index += 2
                continue
            }
            if !argument.hasPrefix("--resume=") { kept.append(argument) }
            index += 1
        }
        return (kept + ["--resume", folder]).map(quoted).joined(separator: " ")
    }

    static func quoted(_ argument: String) -> String {
        let plain = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=:,+@%"
        if !argument.isEmpty, argument.allSatisfy({ plain.contains($0) }) { return argument }
        return "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
