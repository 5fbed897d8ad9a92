import Foundation

/// A minimal protobuf wire-format reader for the tests: splits a message into its fields, so the
/// tests read our `.onnx` bytes back without our writer's types (and without Python). Unknown
/// fields are kept; a malformed message is a thrown error, never a crash.
struct ProtoMessage {
    enum Value {
        case varint(UInt64)
        case fixed64(UInt64)
        case fixed32(UInt32)
        case bytes(ArraySlice<UInt8>)
    }

    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    var fields: [(number: Int, value: Value)] = []

    init(_ bytes: ArraySlice<UInt8>) throws {
        var at = bytes.startIndex
        func varint() throws -> UInt64 {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard at < bytes.endIndex, shift < 64 else { throw Malformed(description: "truncated varint at \(at)") }
                let byte = bytes[at]
                at += 1
                result |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return result }
                shift += 7
            }
        }
        func take(_ count: Int) throws -> ArraySlice<UInt8> {
            guard count >= 0, bytes.endIndex - at >= count else { throw Malformed(description: "truncated field at \(at)") }
            defer { at += count }
            return bytes[at..<at + count]
        }
        while at < bytes.endIndex {
            let key = try varint()
            let number = Int(key >> 3)
            switch key & 7 {
            case 0: fields.append((number, .varint(try varint())))
            case 1: fields.append((number, .fixed64(try take(8).reversed().reduce(0) { $0 << 8 | UInt64($1) })))
            case 2: fields.append((number, .bytes(try take(Int(try varint())))))
            case 5: fields.append((number, .fixed32(try take(4).reversed().reduce(0) { $0 << 8 | UInt32($1) })))
            default: throw Malformed(description: "wire type \(key & 7) at \(at)")
            }
        }
    }

    init(_ bytes: [UInt8]) throws { try self.init(bytes[...]) }

    func all(_ number: Int) -> [Value] { fields.filter { $0.number == number }.map(\.value) }

    func ints(_ number: Int) -> [Int64] {
        all(number).compactMap { if case .varint(let v) = $0 { return Int64(bitPattern: v) } else { return nil } }
    }

    func int(_ number: Int) -> Int64? { ints(number).last }

    func float(_ number: Int) -> Float? {
        all(number).compactMap { if case .fixed32(let v) = $0 { return Float(bitPattern: v) } else { return nil } }.last
    }

    func byteFields(_ number: Int) -> [ArraySlice<UInt8>] {
        all(number).compactMap { if case .bytes(let b) = $0 { return b } else { return nil } }
    }

    func strings(_ number: Int) -> [String] { byteFields(number).map { String(decoding: $0, as: UTF8.self) } }

    func string(_ number: Int) -> String? { strings(number).last }

    func messages(_ number: Int) throws -> [ProtoMessage] { try byteFields(number).map { try ProtoMessage($0) } }

    func message(_ number: Int) throws -> ProtoMessage? { try messages(number).last }
}
