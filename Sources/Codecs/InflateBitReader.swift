/// LSB-first bit reader over a byte buffer with a 64-bit bit buffer (libdeflate's refill scheme).
///
/// Invariant: `buffer` holds `count` (at most 63) unread bits; bits above them are either zero or
/// the true following input bits, so OR-ing a re-read byte in again is harmless. Past the end of
/// the input the reader appends zero bytes and counts them in `overrun`; a valid stream never
/// consumes them, so more than 8 means the stream is truncated, and `finish` checks the rest.
struct InflateBitReader {
    let base: UnsafePointer<UInt8>
    let end: Int
    var position: Int
    var buffer: UInt64 = 0
    var count: Int = 0
    var overrun: Int = 0

    init(base: UnsafePointer<UInt8>, count: Int, position: Int = 0) {
        self.base = base
        self.end = count
        self.position = position
    }

    static var truncated: CodecError { CodecError("truncated deflate stream") }

    /// Ensures at least 56 bits are buffered.
    @inline(__always)
    mutating func refill() throws(CodecError) {
        if end &- position >= 8 {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self))
            buffer |= word &<< UInt64(truncatingIfNeeded: count)
            position &+= (63 &- count) &>> 3
            count |= 56
        } else {
            try refillSlowly()
        }
    }

    @inline(never)
    mutating func refillSlowly() throws(CodecError) {
        while count < 56 {
            if position < end {
                buffer |= UInt64(base[position]) &<< UInt64(truncatingIfNeeded: count)
                position += 1
            } else {
                overrun += 1
                if overrun > 8 { throw Self.truncated }
            }
            count += 8
        }
    }

    /// The low `n` buffered bits (n <= 32).
    @inline(__always)
    func peek(_ n: Int) -> Int {
        Int(truncatingIfNeeded: buffer & ((1 &<< UInt64(truncatingIfNeeded: n)) &- 1))
    }

    @inline(__always)
    mutating func drop(_ n: Int) {
        buffer &>>= UInt64(truncatingIfNeeded: n)
        count &-= n
    }

    /// Skips to the next byte boundary and hands the whole buffered bytes back to the input, so
    /// `position` is the next unread byte (stored blocks, the zlib trailer).
    mutating func alignToByte() throws(CodecError) {
        drop(count & 7)
        let wholeBytes = count >> 3
        guard overrun <= wholeBytes else { throw Self.truncated }
        position -= wholeBytes - overrun
        buffer = 0
        count = 0
        overrun = 0
    }

    /// Throws if the bits consumed so far ran past the end of the input.
    func checkNotOverrun() throws(CodecError) {
        guard overrun * 8 <= count else { throw Self.truncated }
    }
}
