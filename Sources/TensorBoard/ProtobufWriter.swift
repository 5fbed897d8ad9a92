/// The few protocol-buffer encodings TensorBoard's messages need (proto3 wire format): varints,
/// 64- and 32-bit little-endian fixed fields, and length-delimited bytes. Fields are appended in
/// the order called; callers write them by ascending field number, as protobuf serializers do.
struct ProtobufWriter {
    private(set) var bytes: [UInt8] = []

    /// Wire types (the low three bits of a field key).
    private enum WireType: UInt64 {
        case varint = 0, fixed64 = 1, lengthDelimited = 2, fixed32 = 5
    }

    mutating func appendVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    private mutating func appendKey(_ field: Int, _ type: WireType) {
        appendVarint(UInt64(field) << 3 | type.rawValue)
    }

    /// An `int32`/`int64` field (negative values take ten bytes, as protobuf sign-extends them).
    mutating func appendInt(_ field: Int, _ value: Int64) {
        appendKey(field, .varint)
        appendVarint(UInt64(bitPattern: value))
    }

    /// A `double` field.
    mutating func appendDouble(_ field: Int, _ value: Double) {
        appendKey(field, .fixed64)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// A `float` field.
    mutating func appendFloat(_ field: Int, _ value: Float) {
        appendKey(field, .fixed32)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// A `bytes` or embedded-message field.
    mutating func appendBytes(_ field: Int, _ value: [UInt8]) {
        appendKey(field, .lengthDelimited)
        appendVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// A `string` field (UTF-8).
    mutating func appendString(_ field: Int, _ value: String) {
        appendBytes(field, Array(value.utf8))
    }
}
