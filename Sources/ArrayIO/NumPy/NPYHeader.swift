/// The element type a `.npy` header declares: a plain numeric type with its byte order, or `|O`
/// (object array: the payload is a pickle).
enum NPYDataType: Equatable {
    case element(ElementType, bigEndian: Bool)
    case object
}

/// The Python-literal dictionary in a `.npy` header:
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`.
struct NPYHeader: Equatable {
    var dataType: NPYDataType
    var fortranOrder: Bool
    var shape: [Int]

    /// Elements beyond this are refused before allocating (2^40: far beyond any real array).
    static let maximumElements = 1 << 40

    static func parse(_ text: String, file: String) throws(ArrayIOError) -> NPYHeader {
        var parser = PythonLiteralParser(text: Array(text.utf8), file: file)
        let literal = try parser.parseTopLevel()
        guard case .dict(let items) = literal else { throw ArrayIOError(file: file, "malformed .npy header: not a dictionary") }
        func value(_ key: String) throws(ArrayIOError) -> PythonLiteral {
            guard let item = items.first(where: { $0.key == key }) else {
                throw ArrayIOError(file: file, "malformed .npy header: no '\(key)'")
            }
            return item.value
        }
        guard case .string(let code) = try value("descr") else {
            throw ArrayIOError(file: file, "unsupported .npy dtype (structured or not a string)")
        }
        guard let dataType = dataType(of: code) else { throw ArrayIOError(file: file, "unsupported .npy dtype '\(code)'") }
        guard case .bool(let fortranOrder) = try value("fortran_order") else {
            throw ArrayIOError(file: file, "malformed .npy header: bad 'fortran_order'")
        }
        guard case .tuple(let dims) = try value("shape") else { throw ArrayIOError(file: file, "malformed .npy header: bad 'shape'") }
        var shape: [Int] = []
        var total = 1
        for dim in dims {
            guard case .int(let size) = dim, size >= 0 else { throw ArrayIOError(file: file, "malformed .npy header: bad dimension in 'shape'") }
            let (product, overflow) = total.multipliedReportingOverflow(by: size)
            guard !overflow, product <= maximumElements else { throw ArrayIOError(file: file, "absurd .npy shape \(dims)") }
            total = product
            shape.append(size)
        }
        return NPYHeader(dataType: dataType, fortranOrder: fortranOrder, shape: shape)
    }

    /// Maps a NumPy type string such as `<f4`, `|b1`, `>i8`, `|O` to a data type and byte order.
    static func dataType(of code: String) -> NPYDataType? {
        var kind = Substring(code)
        var bigEndian = false
        if let first = kind.first, "<>|=!".contains(first) {
            bigEndian = first == ">" || first == "!"
            kind = kind.dropFirst()
        }
        if kind == "O" || kind == "O8" { return .object }
        let types: [Substring: ElementType] = [
            "f2": .float16, "f4": .float32, "f8": .float64, "u1": .uint8, "i1": .int8, "b1": .bool, "?": .bool,
            "u2": .uint16, "i2": .int16, "i4": .int32, "i8": .int64,
        ]
        guard let type = types[kind] else { return nil }
        return .element(type, bigEndian: bigEndian)
    }

    /// NumPy's spelling of an element type (`'<f4'`, `'|u1'`).
    static func descr(of type: ElementType, bigEndian: Bool = false) -> String {
        let order = type.size == 1 ? "|" : (bigEndian ? ">" : "<")
        switch type {
        case .float16: return order + "f2"
        case .float32: return order + "f4"
        case .float64: return order + "f8"
        case .uint8: return order + "u1"
        case .int8: return order + "i1"
        case .bool: return order + "b1"
        case .uint16: return order + "u2"
        case .int16: return order + "i2"
        case .int32: return order + "i4"
        case .int64: return order + "i8"
        }
    }

    /// The complete header block (magic, version, length, padded dictionary) exactly as NumPy's
    /// `write_array_header` builds it: keys sorted, room for the growth axis to gain digits, spaces and
    /// a final newline so that the data starts at a multiple of 64 bytes; version 1.0 unless the header
    /// needs more than 65535 bytes.
    static func encode(descr: String, fortranOrder: Bool, shape: [Int]) -> [UInt8] {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var text = "{'descr': '\(descr)', 'fortran_order': \(fortranOrder ? "True" : "False"), 'shape': \(shapeText), }"
        if !shape.isEmpty {
            let growthAxis = fortranOrder ? shape[shape.count - 1] : shape[0]
            text += String(repeating: " ", count: max(0, 21 - String(growthAxis).count))
        }
        var header = Array(text.utf8)
        let contentLength = header.count + 1
        var lengthWidth = 2
        var padding = 64 - (6 + 2 + lengthWidth + contentLength) % 64
        if contentLength + padding > 0xFFFF {
            lengthWidth = 4
            padding = 64 - (6 + 2 + lengthWidth + contentLength) % 64
        }
        header += [UInt8](repeating: 0x20, count: padding)
        header.append(0x0A)
        var result: [UInt8] = NPY.magic + [lengthWidth == 2 ? 1 : 2, 0]
        result.appendLittleEndian(UInt32(header.count), width: lengthWidth)
        return result + header
    }
}

/// The subset of Python literals a `.npy` header uses: dict, tuple/list, str, int, bool, None.
enum PythonLiteral: Equatable {
    case dict([(key: String, value: PythonLiteral)])
    case tuple([PythonLiteral])
    case string(String)
    case int(Int)
    case bool(Bool)
    case none

    static func == (lhs: PythonLiteral, rhs: PythonLiteral) -> Bool {
        switch (lhs, rhs) {
        case let (.dict(a), .dict(b)): return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case let (.tuple(a), .tuple(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.int(a), .int(b)): return a == b
        case let (.bool(a), .bool(b)): return a == b
        case (.none, .none): return true
        default: return false
        }
    }
}

/// Recursive-descent parser for `PythonLiteral`, bounded in depth; every problem is a typed error.
struct PythonLiteralParser {
    let text: [UInt8]
    let file: String
    var position = 0

    init(text: [UInt8], file: String) {
        self.text = text
        self.file = file
    }

    mutating func parseTopLevel() throws(ArrayIOError) -> PythonLiteral {
        let value = try parseValue(depth: 0)
        skipSpace()
        guard position == text.count else { throw error("unexpected text after the dictionary") }
        return value
    }

    private func error(_ problem: String) -> ArrayIOError {
        ArrayIOError(file: file, "malformed .npy header: \(problem) at character \(position)")
    }

    private mutating func skipSpace() {
        while position < text.count, text[position] == 0x20 || text[position] == 0x0A || text[position] == 0x09 || text[position] == 0x0D {
            position += 1
        }
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        skipSpace()
        if position < text.count, text[position] == byte { position += 1; return true }
        return false
    }

    private mutating func parseValue(depth: Int) throws(ArrayIOError) -> PythonLiteral {
        guard depth < 32 else { throw error("nesting too deep") }
        skipSpace()
        guard position < text.count else { throw error("unexpected end") }
        switch text[position] {
        case UInt8(ascii: "{"):
            position += 1
            var items: [(key: String, value: PythonLiteral)] = []
            while !consume(UInt8(ascii: "}")) {
                guard case .string(let key) = try parseValue(depth: depth + 1) else { throw error("dictionary key is not a string") }
                guard consume(UInt8(ascii: ":")) else { throw error("expected ':'") }
                items.append((key, try parseValue(depth: depth + 1)))
                if !consume(UInt8(ascii: ",")) {
                    guard consume(UInt8(ascii: "}")) else { throw error("expected ',' or '}'") }
                    break
                }
            }
            return .dict(items)
        case UInt8(ascii: "("), UInt8(ascii: "["):
            let close = text[position] == UInt8(ascii: "(") ? UInt8(ascii: ")") : UInt8(ascii: "]")
            position += 1
            var items: [PythonLiteral] = []
            while !consume(close) {
                items.append(try parseValue(depth: depth + 1))
                if !consume(UInt8(ascii: ",")) {
                    guard consume(close) else { throw error("expected ',' or a closing bracket") }
                    break
                }
            }
            return .tuple(items)
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            let quote = text[position]
            position += 1
            let start = position
            while position < text.count, text[position] != quote {
                guard text[position] != UInt8(ascii: "\\") else { throw error("escapes in strings are not supported") }
                position += 1
            }
            guard position < text.count else { throw error("unterminated string") }
            position += 1
            return .string(String(decoding: text[start..<(position - 1)], as: UTF8.self))
        default:
            let start = position
            while position < text.count, text[position] == UInt8(ascii: "-") || text[position] == UInt8(ascii: "_")
                    || (text[position] >= 0x30 && text[position] <= 0x39) || (text[position] | 0x20 >= 0x61 && text[position] | 0x20 <= 0x7A) {
                position += 1
            }
            let word = String(decoding: text[start..<position], as: UTF8.self)
            switch word {
            case "True": return .bool(true)
            case "False": return .bool(false)
            case "None": return .none
            default:
                var digits = Substring(word)
                if digits.hasSuffix("L") { digits = digits.dropLast() }  // Python 2 long literal
                guard let value = Int(digits) else { throw error("unexpected '\(word.prefix(20))'") }
                return .int(value)
            }
        }
    }
}
