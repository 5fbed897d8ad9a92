import Foundation

/// NumPy `.npy` files (format versions 1.0, 2.0, 3.0).
public enum NPY {
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // "\x93NUMPY"

    /// Reads a `.npy` file.
    public static func read(contentsOf url: URL) throws(ArrayIOError) -> NDArray {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ArrayIOError(file: url.path, "cannot read file (\(error.localizedDescription))")
        }
        return try decode([UInt8](data), file: url.path)
    }

    /// Parses `.npy` bytes. `file` only names the source in errors.
    public static func decode(_ bytes: [UInt8], file: String = "<memory>") throws(ArrayIOError) -> NDArray {
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
            throw ArrayIOError(file: file, "not a .npy file (bad magic)")
        }
        let major = bytes[6]
        let headerLength: Int
        let headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw ArrayIOError(file: file, "truncated .npy header") }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        default:
            throw ArrayIOError(file: file, "unsupported .npy format version \(major)")
        }
        guard headerStart + headerLength <= bytes.count else {
            throw ArrayIOError(file: file, "truncated .npy header (needs \(headerLength) bytes)")
        }
        guard let header = String(bytes: bytes[headerStart..<(headerStart + headerLength)], encoding: major == 3 ? .utf8 : .isoLatin1) else {
            throw ArrayIOError(file: file, "unreadable .npy header")
        }
        let parsed = try NPYHeader.parse(header, file: file)
        let dataStart = headerStart + headerLength
        let count = parsed.shape.reduce(1, *)
        let byteCount = count.multipliedReportingOverflow(by: parsed.elementType.size)
        guard !byteCount.overflow, bytes.count - dataStart >= byteCount.partialValue else {
            throw ArrayIOError(file: file, "data too short for shape \(parsed.shape) of \(parsed.elementType)")
        }
        var payload = Array(bytes[dataStart..<(dataStart + byteCount.partialValue)])
        if parsed.bigEndian && parsed.elementType.size > 1 {
            let size = parsed.elementType.size
            payload.withUnsafeMutableBufferPointer { buffer in
                var index = 0
                while index < buffer.count {
                    var lo = index, hi = index + size - 1
                    while lo < hi { buffer.swapAt(lo, hi); lo += 1; hi -= 1 }
                    index += size
                }
            }
        }
        if parsed.fortranOrder && parsed.shape.count > 1 {
            payload = transposeFromFortran(payload, shape: parsed.shape, elementSize: parsed.elementType.size)
        }
        return NDArray(elementType: parsed.elementType, shape: parsed.shape, bytes: payload)
    }

    /// Reorders column-major bytes into row-major order.
    static func transposeFromFortran(_ source: [UInt8], shape: [Int], elementSize: Int) -> [UInt8] {
        let count = shape.reduce(1, *)
        var result = [UInt8](repeating: 0, count: source.count)
        var fortranStrides = [Int](repeating: 1, count: shape.count)
        for axis in 1..<shape.count { fortranStrides[axis] = fortranStrides[axis - 1] * shape[axis - 1] }
        var index = [Int](repeating: 0, count: shape.count)
        for linear in 0..<count {
            var sourceOffset = 0
            for axis in 0..<shape.count { sourceOffset += index[axis] * fortranStrides[axis] }
            for byte in 0..<elementSize {
                result[linear * elementSize + byte] = source[sourceOffset * elementSize + byte]
            }
            var axis = shape.count - 1
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < shape[axis] { break }
                index[axis] = 0
                axis -= 1
            }
        }
        return result
    }
}

/// The Python-literal dictionary in a `.npy` header: `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`.
struct NPYHeader {
    var elementType: ElementType
    var bigEndian: Bool
    var fortranOrder: Bool
    var shape: [Int]

    static func parse(_ text: String, file: String) throws(ArrayIOError) -> NPYHeader {
        func value(of key: String) -> Substring? {
            guard let keyRange = text.range(of: "'\(key)'") else { return nil }
            var rest = text[keyRange.upperBound...].drop { $0 == " " }
            guard rest.first == ":" else { return nil }
            rest = rest.dropFirst().drop { $0 == " " }
            return rest
        }
        guard var descr = value(of: "descr"), descr.first == "'" || descr.first == "\"" else {
            throw ArrayIOError(file: file, "malformed .npy header: no 'descr'")
        }
        let quote = descr.first!
        descr = descr.dropFirst()
        guard let close = descr.firstIndex(of: quote) else { throw ArrayIOError(file: file, "malformed .npy header: bad 'descr'") }
        let code = String(descr[..<close])
        guard let (elementType, bigEndian) = NPYHeader.elementType(of: code) else {
            throw ArrayIOError(file: file, "unsupported .npy dtype '\(code)'")
        }
        guard let fortran = value(of: "fortran_order") else {
            throw ArrayIOError(file: file, "malformed .npy header: no 'fortran_order'")
        }
        let fortranOrder: Bool
        if fortran.hasPrefix("True") { fortranOrder = true } else if fortran.hasPrefix("False") { fortranOrder = false } else {
            throw ArrayIOError(file: file, "malformed .npy header: bad 'fortran_order'")
        }
        guard let shapeText = value(of: "shape"), shapeText.first == "(", let end = shapeText.firstIndex(of: ")") else {
            throw ArrayIOError(file: file, "malformed .npy header: no 'shape'")
        }
        var shape: [Int] = []
        for part in shapeText[shapeText.index(after: shapeText.startIndex)..<end].split(separator: ",") {
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard let dim = Int(trimmed), dim >= 0, dim < 1 << 40 else {
                throw ArrayIOError(file: file, "malformed .npy header: bad dimension '\(trimmed)'")
            }
            shape.append(dim)
        }
        var total = 1
        for dim in shape {
            let (product, overflow) = total.multipliedReportingOverflow(by: dim)
            guard !overflow, product < 1 << 40 else { throw ArrayIOError(file: file, "absurd .npy shape \(shape)") }
            total = product
        }
        return NPYHeader(elementType: elementType, bigEndian: bigEndian, fortranOrder: fortranOrder, shape: shape)
    }

    /// Maps a NumPy type string such as `<f4`, `|b1`, `>i8` to an element type and byte order.
    static func elementType(of code: String) -> (ElementType, Bool)? {
        guard code.count >= 2 else { return nil }
        let order = code.first!
        let kind = String(code.dropFirst())
        let bigEndian = order == ">" || (order == "!")
        guard "<>|=!".contains(order) else { return nil }
        let types: [String: ElementType] = [
            "f2": .float16, "f4": .float32, "f8": .float64, "u1": .uint8, "i1": .int8, "b1": .bool,
            "u2": .uint16, "i2": .int16, "i4": .int32, "i8": .int64,
        ]
        guard let type = types[kind] else { return nil }
        return (type, bigEndian)
    }
}
