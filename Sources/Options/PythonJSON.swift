import Foundation

/// A JSON value as Python's `json` module writes it (for opt.json): ints and floats stay distinct
/// (`1` vs `1.0`), objects keep their key order.
public indirect enum PythonJSON: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case array([PythonJSON])
    case object([(key: String, value: PythonJSON)])

    public static func == (lhs: PythonJSON, rhs: PythonJSON) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.int(a), .int(b)): return a == b
        case let (.float(a), .float(b)): return a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN)
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    /// `json.dumps(value, indent=indent)` with Python's defaults (`ensure_ascii=True`,
    /// `allow_nan=True`, separators `,` and `: ` when indenting); no trailing newline, as `json.dump`.
    public func dumps(indent: Int = 2) -> String {
        var text = ""
        write(into: &text, indent: indent, level: 0)
        return text
    }

    private func write(into text: inout String, indent: Int, level: Int) {
        switch self {
        case .null: text += "null"
        case .bool(let value): text += value ? "true" : "false"
        case .int(let value): text += String(value)
        case .float(let value): text += Self.pythonRepr(value)
        case .string(let value): text += Self.quoted(value)
        case .array(let items):
            guard !items.isEmpty else { text += "[]"; return }
            text += "["
            for (index, item) in items.enumerated() {
                text += (index == 0 ? "" : ",") + "\n" + String(repeating: " ", count: indent * (level + 1))
                item.write(into: &text, indent: indent, level: level + 1)
            }
            text += "\n" + String(repeating: " ", count: indent * level) + "]"
        case .object(let members):
            guard !members.isEmpty else { text += "{}"; return }
            text += "{"
            for (index, member) in members.enumerated() {
                text += (index == 0 ? "" : ",") + "\n" + String(repeating: " ", count: indent * (level + 1))
                text += Self.quoted(member.key) + ": "
                member.value.write(into: &text, indent: indent, level: level + 1)
            }
            text += "\n" + String(repeating: " ", count: indent * level) + "}"
        }
    }

    /// `float.__repr__` (shortest round-trip digits; exponent form below 1e-4 and from 1e16, as
    /// Swift's `description`), with json's `NaN`, `Infinity`, `-Infinity`.
    static func pythonRepr(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        return value.description
    }

    /// A JSON string with `ensure_ascii`: `\"`, `\\`, `\n`, `\r`, `\t`, `\b`, `\f`, other control and
    /// all non-ASCII characters as `\uXXXX` (UTF-16 units, so surrogate pairs above U+FFFF).
    static func quoted(_ value: String) -> String {
        var text = "\""
        for unit in value.utf16 {
            switch unit {
            case 0x22: text += "\\\""
            case 0x5C: text += "\\\\"
            case 0x0A: text += "\\n"
            case 0x0D: text += "\\r"
            case 0x09: text += "\\t"
            case 0x08: text += "\\b"
            case 0x0C: text += "\\f"
            case 0x20..<0x7F: text.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
            default:
                let hex = String(unit, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        return text + "\""
    }
}

/// A value that has a Python JSON form (what `json.dump` writes for the original's value).
public protocol PythonJSONRepresentable {
    var pythonJSON: PythonJSON { get }
}

extension Int: PythonJSONRepresentable { public var pythonJSON: PythonJSON { .int(self) } }
extension Double: PythonJSONRepresentable { public var pythonJSON: PythonJSON { .float(self) } }
extension Bool: PythonJSONRepresentable { public var pythonJSON: PythonJSON { .bool(self) } }
extension String: PythonJSONRepresentable { public var pythonJSON: PythonJSON { .string(self) } }

extension Optional: PythonJSONRepresentable where Wrapped: PythonJSONRepresentable {
    public var pythonJSON: PythonJSON { self?.pythonJSON ?? .null }
}

extension Array: PythonJSONRepresentable where Element: PythonJSONRepresentable {
    public var pythonJSON: PythonJSON { .array(map(\.pythonJSON)) }
}

extension PythonJSONRepresentable where Self: RawRepresentable, RawValue == String {
    public var pythonJSON: PythonJSON { .string(rawValue) }
}

extension TrainSplit: PythonJSONRepresentable {}
extension EvalSplit: PythonJSONRepresentable {}
extension DatasetName: PythonJSONRepresentable {}
extension WeightsInit: PythonJSONRepresentable {}
extension PoseModelInput: PythonJSONRepresentable {}
extension PoseModelType: PythonJSONRepresentable {}
extension ModelName: PythonJSONRepresentable {}

extension FrameID: PythonJSONRepresentable {
    public var pythonJSON: PythonJSON {
        switch self {
        case .offset(let value): return .int(value)
        case .stereo: return .string("s")
        }
    }
}
