/// The few protocol-buffer encodings our messages need (TensorBoard's events, ONNX models; the
/// wire format is the same for proto2 and proto3): varints, 64- and 32-bit little-endian fixed
/// fields, and length-delimited bytes. Fields are appended in the order called; callers write them
/// by ascending field number, as protobuf serializers do.
public struct ProtobufWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    /// Wire types (the low three bits of a field key).
    private enum WireType: UInt64 {
        case varint = 0, fixed64 = 1, lengthDelimited = 2, fixed32 = 5
    }

    public mutating func appendVarint(_ value: UInt64) {
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
    public mutating func appendInt(_ field: Int, _ value: Int64) {
        appendKey(field, .varint)
        appendVarint(UInt64(bitPattern: value))
    }

    /// A `double` field.
    public mutating func appendDouble(_ field: Int, _ value: Double) {
        appendKey(field, .fixed64)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// A `float` field.
    public mutating func appendFloat(_ field: Int, _ value: Float) {
        appendKey(field, .fixed32)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// A `bytes` or embedded-message field.
    public mutating func appendBytes(_ field: Int, _ value: [UInt8]) {
        appendKey(field, .lengthDelimited)
        appendVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// A `string` field (UTF-8).
    public mutating func appendString(_ field: Int, _ value: String) {
        appendBytes(field, Array(value.utf8))
    }

    /// An embedded message field: `message`'s bytes, length-delimited.
    public mutating func appendMessage(_ field: Int, _ message: ProtobufWriter) {
        appendBytes(field, message.bytes)
    }

    /// A `float` array as a `bytes` field (little-endian, as ONNX's `raw_data` holds tensors).
    public mutating func appendFloatsAsBytes(_ field: Int, _ values: [Float]) {
        appendKey(field, .lengthDelimited)
        appendVarint(UInt64(values.count * 4))
        bytes.reserveCapacity(bytes.count + values.count * 4)
        for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
    }
}
