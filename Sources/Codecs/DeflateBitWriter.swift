#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// LSB-first bit writer into a growable byte buffer. Callers `reserve` room for a block's worst
/// case first, so `write` itself never checks capacity.
struct DeflateBitWriter {
    private(set) var bytes: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0
    private var buffer: UInt64 = 0
    private var bitCount = 0

    init(initialCapacity: Int) {
        capacity = max(initialCapacity, 64)
        bytes = malloc(capacity)!.assumingMemoryBound(to: UInt8.self)
    }

    /// Makes room for `byteCount` more bytes of output (plus the word-sized flush slack).
    mutating func reserve(_ byteCount: Int) {
        let needed = count + byteCount + 16
        guard needed > capacity else { return }
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        bytes = realloc(bytes, newCapacity)!.assumingMemoryBound(to: UInt8.self)
        capacity = newCapacity
    }

    /// Appends the low `n` bits of `value` (n <= 32).
    @inline(__always)
    mutating func write(_ value: UInt32, _ n: Int) {
        buffer |= UInt64(value) &<< UInt64(truncatingIfNeeded: bitCount)
        bitCount &+= n
        if bitCount >= 32 {
            UnsafeMutableRawPointer(bytes + count).storeBytes(of: UInt32(truncatingIfNeeded: buffer).littleEndian, as: UInt32.self)
            count &+= 4
            buffer &>>= 32
            bitCount &-= 32
        }
    }

    /// Pads with zero bits to a byte boundary and writes out the pending bytes.
    mutating func alignToByte() {
        while bitCount > 0 {
            bytes[count] = UInt8(truncatingIfNeeded: buffer)
            count += 1
            buffer >>= 8
            bitCount = max(bitCount - 8, 0)
        }
        buffer = 0
    }

    /// Appends whole bytes; the writer must be byte-aligned.
    mutating func append(_ source: UnsafePointer<UInt8>, count byteCount: Int) {
        (bytes + count).update(from: source, count: byteCount)
        count += byteCount
    }

    /// The output so far, as an array (after `alignToByte`); frees the buffer.
    consuming func finish() -> [UInt8] {
        let result = Array(UnsafeBufferPointer(start: bytes, count: count))
        free(bytes)
        return result
    }
}
