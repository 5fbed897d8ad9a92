import Foundation

// Entropy-coded data: byte unstuffing into a padded scratch buffer, and an MSB-first 64-bit bit reader.

/// How an entropy-coded segment ended.
enum JPEGSegmentEnd {
    /// An RSTn marker (consumed); the next segment starts after it.
    case restart
    /// Another marker (left in place for the marker parser) or the end of the file.
    case marker
    case endOfFile
}

/// Reads the entropy-coded segments of one scan out of the file bytes. Each segment (the data up to
/// the next marker) is copied without its stuffed zero bytes into `scratch`, which is followed by
/// `padding` zero bytes, so the bit reader can load 8 bytes at a time and reads zeros past the end
/// (libjpeg's behaviour when data runs out) without bounds checks.
struct JPEGEntropySource {
    /// Zero bytes after a segment: more than one MCU (10 blocks of at most 64 codes of 32 bits) can
    /// consume before the decoder notices that it ran past the data.
    static let padding = 4096

    let source: UnsafePointer<UInt8>
    let sourceCount: Int
    let scratch: UnsafeMutablePointer<UInt8>
    /// Position in the file of the next unread byte.
    var position: Int
    /// Set once a segment ended at a non-RST marker or at the end of the file: later segments are empty.
    var exhausted = false
    var lastEnd = JPEGSegmentEnd.marker

    /// Copies the next segment into `scratch` and returns a reader over it.
    mutating func nextSegment() -> JPEGBitReader {
        var written = 0
        if !exhausted {
            var p = position
            let n = sourceCount
            var end = JPEGSegmentEnd.endOfFile
            while p < n {
                // Copy the run up to the next 0xFF in one go.
                let remaining = n - p
                let found = memchr(source + p, 0xFF, remaining)
                let run = found.map { UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - (source + p) }
                    ?? remaining
                if run > 0 {
                    (scratch + written).update(from: source + p, count: run)
                    written += run
                    p += run
                }
                if p >= n { break }
                // 0xFF: fill bytes (more 0xFF) may precede the byte that decides.
                var q = p + 1
                while q < n && source[q] == 0xFF { q += 1 }
                if q >= n { p = n; break }
                let code = source[q]
                if code == 0 {  // stuffed zero: a data byte 0xFF
                    scratch[written] = 0xFF
                    written += 1
                    p = q + 1
                    continue
                }
                if code >= 0xD0 && code <= 0xD7 {
                    end = .restart
                    p = q + 1
                } else {
                    end = .marker
                }
                break
            }
            position = p
            lastEnd = end
            if end != .restart { exhausted = true }
        }
        (scratch + written).initialize(repeating: 0, count: JPEGEntropySource.padding)
        return JPEGBitReader(start: scratch, byteCount: written)
    }
}

/// MSB-first bit reader over a zero-padded buffer ("variant 4" refill: one unaligned 8-byte load per
/// refill, at least 56 valid bits afterwards).
struct JPEGBitReader {
    let start: UnsafePointer<UInt8>
    /// Number of data bits in the segment; reading beyond yields zeros from the padding.
    let dataBits: Int
    var next: UnsafePointer<UInt8>
    /// Valid bits, left-aligned; the bits below them are zero.
    var bits: UInt64 = 0
    var count: Int = 0

    init(start: UnsafeMutablePointer<UInt8>, byteCount: Int) {
        self.start = UnsafePointer(start)
        self.next = UnsafePointer(start)
        self.dataBits = byteCount * 8
    }

    /// Bits consumed so far.
    @inline(__always) var consumedBits: Int { (next - start) &* 8 &- count }

    /// True once the decoder has consumed bits beyond the segment's data.
    @inline(__always) var overran: Bool { consumedBits > dataBits }

    @inline(__always) mutating func refill() {
        let word = UInt64(bigEndian: UnsafeRawPointer(next).loadUnaligned(as: UInt64.self))
        bits |= word &>> UInt64(truncatingIfNeeded: count)
        next += (63 &- count) &>> 3
        count |= 56
    }

    /// Makes sure at least 32 bits are buffered (enough for one Huffman code and its extra bits).
    @inline(__always) mutating func ensure32() {
        if count < 32 { refill() }
    }

    /// The next `n` bits (1...32) without consuming them.
    @inline(__always) func peek(_ n: Int) -> Int {
        Int(truncatingIfNeeded: bits &>> UInt64(truncatingIfNeeded: 64 &- n))
    }

    @inline(__always) mutating func skip(_ n: Int) {
        bits = bits &<< UInt64(truncatingIfNeeded: n)
        count &-= n
    }

    /// Reads `n` bits (1...16); the caller has ensured they are buffered.
    @inline(__always) mutating func take(_ n: Int) -> Int {
        let value = peek(n)
        skip(n)
        return value
    }

    /// Reads one bit, refilling as needed.
    @inline(__always) mutating func bit() -> Int {
        if count < 1 { refill() }
        return take(1)
    }

    /// Reads `n` bits (1...16), refilling as needed.
    @inline(__always) mutating func bits(_ n: Int) -> Int {
        if count < n { refill() }
        return take(n)
    }
}

/// F.12 EXTEND: the `s`-bit magnitude category value `v` as a signed coefficient (s in 1...16).
@inline(__always) func jpegExtend(_ v: Int, _ s: Int) -> Int {
    v < (1 &<< (s &- 1)) ? v &+ ((-1) &<< s) &+ 1 : v
}
