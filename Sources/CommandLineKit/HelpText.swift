extension FlagSet {
    /// argparse-style help: usage line, overview, then every flag (grouped under the `group` headings, in
    /// declaration order) with its value placeholder or choices, help, default and `(required)`.
    public var helpText: String {
        var lines = ["usage: \(program) [options]"]
        if !overview.isEmpty {
            lines.append("")
            lines += wrap(overview, width: Self.lineWidth)
        }
        lines.append("")
        lines.append("options:")
        lines += entry(head: "-h, --help", help: "show this help message and exit")
        var group: String?
        for spec in specs {
            if spec.group != group, let title = spec.group {
                lines.append("")
                lines.append("\(title):")
            }
            group = spec.group
            lines += entry(head: head(of: spec), help: helpLine(of: spec))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static let lineWidth = 100
    private static let helpColumn = 26

    /// `--name`, `--name VALUE` or `--name VALUE [VALUE ...]`, the value shown as `{choice,...}` when
    /// the line fits (else as the type's placeholder, and the help lists the choices).
    private func head(of spec: FlagSpec) -> String {
        let head = head(of: spec, showingChoices: true)
        return head.count + 2 <= Self.lineWidth ? head : self.head(of: spec, showingChoices: false)
    }

    private func head(of spec: FlagSpec, showingChoices: Bool) -> String {
        let placeholder = spec.choices.map { showingChoices ? "{" + $0.joined(separator: ",") + "}" : spec.valueName }
            ?? spec.valueName
        switch spec.kind {
        case .switch: return "--\(spec.name)"
        case .single: return "--\(spec.name) \(placeholder)"
        case .list: return "--\(spec.name) \(placeholder) [\(placeholder) ...]"
        }
    }

    private func helpLine(of spec: FlagSpec) -> String {
        var text = spec.help
        if let choices = spec.choices, head(of: spec) == head(of: spec, showingChoices: false) {
            text += (text.isEmpty ? "" : " ") + "(choices: " + choices.joined(separator: ", ") + ")"
        }
        if spec.required {
            text += text.isEmpty ? "(required)" : " (required)"
        } else if let defaultText = spec.defaultText {
            text += (text.isEmpty ? "" : " ") + "(default: \(defaultText))"
        }
        return text
    }

    /// "  head    help..." with the help at `helpColumn`, or on the next line when the head is too long.
    private func entry(head: String, help: String) -> [String] {
        let indent = String(repeating: " ", count: Self.helpColumn)
        let helpLines = wrap(help, width: Self.lineWidth - Self.helpColumn)
        var lines: [String] = []
        let first = "  " + head
        if first.count + 2 <= Self.helpColumn, let firstHelp = helpLines.first {
            lines.append(first + String(repeating: " ", count: Self.helpColumn - first.count) + firstHelp)
            lines += helpLines.dropFirst().map { indent + $0 }
        } else {
            lines.append(first)
            lines += helpLines.map { indent + $0 }
        }
        return lines
    }

    /// Greedy word wrap; words longer than `width` get a line of their own.
    private func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if line.isEmpty {
                line = String(word)
            } else if line.count + 1 + word.count <= width {
                line += " " + word
            } else {
                lines.append(line)
                line = String(word)
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
