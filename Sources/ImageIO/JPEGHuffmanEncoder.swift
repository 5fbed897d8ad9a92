// Huffman encoding of quantised blocks (jchuff.c's encode_one_block) and the entropy-coded byte
// stream with 0xFF stuffing.

/// Code and length per symbol for one Huffman table (C.2 canonical codes), packed as code << 8 | length.
struct JPEGHuffmanCodes {
    var packed = [UInt32](repeating: 0, count: 256)

    init(_ spec: JPEGTables.HuffmanSpec) {
        var next: UInt32 = 0
        var p = 0
        for l in 1...16 {
            for _ in 0..<Int(spec.counts[l - 1]) {
                packed[Int(spec.symbols[p])] = next << 8 | UInt32(l)
                next += 1
                p += 1
            }
            next <<= 1
        }
    }
}

/// Appends bits MSB first into a growable raw buffer, stuffing a zero byte after every 0xFF.
/// Owns its memory: call `finish()` exactly once to get the bytes and free it.
struct JPEGBitWriter {
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var used = 0
    private var buffer: UInt64 = 0
    private var pending = 0  // bits in `buffer`

    init(capacity: Int) {
        self.capacity = max(capacity, 4096)
        storage = .allocate(capacity: self.capacity)
    }

    /// Makes room for `bytes` more output bytes (an encoded block needs at most 64 * 4 * 2 = 512).
    mutating func reserve(_ bytes: Int) {
        guard used + bytes > capacity else { return }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: max(2 * capacity, used + bytes))
        grown.update(from: storage, count: used)
        storage.deallocate()
        storage = grown
        capacity = max(2 * capacity, used + bytes)
    }

    /// Appends marker bytes; only valid with no pending bits (at the start or after `flush()`).
    mutating func append(_ bytes: [UInt8]) {
        precondition(pending == 0, "JPEGBitWriter.append: \(pending) bits pending")
        reserve(bytes.count)
        for b in bytes {
            storage[used] = b
            used += 1
        }
    }

    /// Writes the low `length` bits (0...16) of `value`; room must have been reserved.
    @inline(__always) mutating func write(_ value: UInt32, _ length: Int) {
        buffer = (buffer &<< UInt64(length)) | UInt64(value & ((1 &<< UInt32(length)) &- 1))
        pending += length
        while pending >= 8 {
            pending -= 8
            let byte = UInt8(truncatingIfNeeded: buffer &>> UInt64(pending))
            storage[used] = byte
            used += 1
            if byte == 0xFF {
                storage[used] = 0
                used += 1
            }
        }
    }

    /// Pads the last byte with 1 bits (libjpeg's flush_bits).
    mutating func flush() {
        reserve(2)
        if pending > 0 { write(0x7F, 8 - pending) }
        buffer = 0
    }

    /// The bytes written; frees the storage.
    mutating func finish() -> [UInt8] {
        let bytes = Array(UnsafeBufferPointer(start: storage, count: used))
        storage.deallocate()
        capacity = 0
        used = 0
        return bytes
    }
}

/// Sequential Huffman encoding of blocks with DC prediction per component.
struct JPEGBlockEncoder {
    let dc: [JPEGHuffmanCodes]
    let ac: [JPEGHuffmanCodes]
    var predictors: [Int32]

    init(dc: [JPEGHuffmanCodes], ac: [JPEGHuffmanCodes]) {
        self.dc = dc
        self.ac = ac
        predictors = Array(repeating: 0, count: dc.count)
    }

    /// Bits needed for |value| (0 for 0).
    @inline(__always) static func magnitudeBits(_ value: Int32) -> Int {
        value == 0 ? 0 : 32 - value.magnitude.leadingZeroBitCount
    }

    /// Encodes one block of quantised coefficients in zig-zag order (`zigzag[0]` is DC) of component `c`.
    mutating func encode(_ zigzag: UnsafePointer<Int32>, component c: Int, into writer: inout JPEGBitWriter) {
        writer.reserve(512)
        let diff = zigzag[0] &- predictors[c]
        predictors[c] = zigzag[0]
        let dcBits = JPEGBlockEncoder.magnitudeBits(diff)
        let dcCode = dc[c].packed[dcBits]
        writer.write(dcCode >> 8, Int(dcCode & 0xFF))
        if dcBits > 0 {
            // Negative values are sent as value - 1 in `bits` bits (one's complement).
            writer.write(UInt32(truncatingIfNeeded: diff < 0 ? diff &- 1 : diff), dcBits)
        }
        // Bit k set for each non-zero AC coefficient: runs of zeros become trailing-zero counts
        // (no branch per coefficient, as in libjpeg-turbo's encoder).
        var mask: UInt64 = 0
        for k in 1..<64 { mask |= UInt64(zigzag[k] != 0 ? 1 : 0) &<< UInt64(k) }
        ac[c].packed.withUnsafeBufferPointer { table in
            var previous = 0
            while mask != 0 {
                let k = mask.trailingZeroBitCount
                mask &= mask &- 1
                var run = k - previous - 1
                previous = k
                while run > 15 {
                    writer.write(table[0xF0] >> 8, Int(table[0xF0] & 0xFF))
                    run -= 16
                }
                let value = zigzag[k]
                let bits = JPEGBlockEncoder.magnitudeBits(value)
                let code = table[run << 4 | bits]
                writer.write(code >> 8, Int(code & 0xFF))
                writer.write(UInt32(truncatingIfNeeded: value < 0 ? value &- 1 : value), bits)
            }
            if previous < 63 { writer.write(table[0] >> 8, Int(table[0] & 0xFF)) }
        }
    }
}
