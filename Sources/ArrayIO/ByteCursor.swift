/// Bounds-checked little-endian reads over a byte array; every overrun is a typed error naming the file.
struct ByteCursor {
    let bytes: [UInt8]
    var position: Int
    let file: String
    /// What is being read, for error messages ("zip central directory", "pickle", ...).
    let context: String

    init(_ bytes: [UInt8], at position: Int = 0, file: String, context: String) {
        self.bytes = bytes
        self.position = position
        self.file = file
        self.context = context
    }

    var remaining: Int { bytes.count - position }
    var isAtEnd: Bool { position >= bytes.count }

    func truncated(_ needed: Int) -> ArrayIOError {
        ArrayIOError(file: file, "truncated \(context): needs \(needed) more bytes at offset \(position), \(max(remaining, 0)) left")
    }

    /// Checks that `count` bytes are available from the current position.
    func require(_ count: Int) throws(ArrayIOError) {
        guard count >= 0, position >= 0, count <= remaining else { throw truncated(count) }
    }

    mutating func skip(_ count: Int) throws(ArrayIOError) {
        try require(count)
        position += count
    }

    mutating func u8() throws(ArrayIOError) -> UInt8 {
        try require(1)
        defer { position += 1 }
        return bytes[position]
    }

    mutating func u16() throws(ArrayIOError) -> UInt16 { UInt16(truncatingIfNeeded: try unsigned(2)) }
    mutating func u32() throws(ArrayIOError) -> UInt32 { UInt32(truncatingIfNeeded: try unsigned(4)) }
    mutating func u64() throws(ArrayIOError) -> UInt64 { try unsigned(8) }

    /// A little-endian unsigned integer of `width` (1...8) bytes.
    mutating func unsigned(_ width: Int) throws(ArrayIOError) -> UInt64 {
        try require(width)
        let value = bytes.loadLittleEndian(at: position, width: width)
        position += width
        return value
    }

    /// The next `count` bytes as a new array.
    mutating func take(_ count: Int) throws(ArrayIOError) -> [UInt8] {
        try require(count)
        defer { position += count }
        return Array(bytes[position..<(position + count)])
    }

    /// The next `count` bytes as a slice (no copy).
    mutating func slice(_ count: Int) throws(ArrayIOError) -> ArraySlice<UInt8> {
        try require(count)
        defer { position += count }
        return bytes[position..<(position + count)]
    }
}

extension Array where Element == UInt8 {
    /// Little-endian unsigned value of `width` bytes at `offset`; the caller has checked the bounds.
    func loadLittleEndian(at offset: Int, width: Int) -> UInt64 {
        var value: UInt64 = 0
        for index in stride(from: width - 1, through: 0, by: -1) {
            value = value << 8 | UInt64(self[offset + index])
        }
        return value
    }

    /// Appends `value` as `width` little-endian bytes.
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T, width: Int = MemoryLayout<T>.size) {
        var v = UInt64(truncatingIfNeeded: value)
        for _ in 0..<width {
            append(UInt8(truncatingIfNeeded: v))
            v >>= 8
        }
    }
}
