// Huffman encoding of quantised blocks (jchuff.c's encode_one_block) and the entropy-coded byte
// stream with 0xFF stuffing.

/// Code and length per symbol for one Huffman table (C.2 canonical codes).
struct JPEGHuffmanCodes {
    var code = [UInt32](repeating: 0, count: 256)
    var length = [Int](repeating: 0, count: 256)

    init(_ spec: JPEGTables.HuffmanSpec) {
        var next: UInt32 = 0
        var p = 0
        for l in 1...16 {
            for _ in 0..<Int(spec.counts[l - 1]) {
                let symbol = Int(spec.symbols[p])
                code[symbol] = next
                length[symbol] = l
                next += 1
                p += 1
            }
            next <<= 1
        }
    }
}

/// Appends bits MSB first, stuffing a zero byte after every 0xFF.
struct JPEGBitWriter {
    var bytes: [UInt8]
    private var buffer: UInt64 = 0
    private var count = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    @inline(__always) mutating func write(_ value: UInt32, _ length: Int) {
        buffer = (buffer << UInt64(length)) | UInt64(value & ((1 << UInt32(length)) &- 1))
        count += length
        while count >= 8 {
            count -= 8
            let byte = UInt8(truncatingIfNeeded: buffer >> UInt64(count))
            bytes.append(byte)
            if byte == 0xFF { bytes.append(0) }
        }
        buffer &= (1 << UInt64(count)) &- 1
    }

    /// Pads the last byte with 1 bits (libjpeg's flush_bits).
    mutating func flush() {
        if count > 0 { write(0x7F, 8 - count) }
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

    /// Encodes one block of quantised coefficients (row-major) of component `c`.
    mutating func encode(_ block: UnsafePointer<Int32>, component c: Int, into writer: inout JPEGBitWriter) {
        let diff = block[0] &- predictors[c]
        predictors[c] = block[0]
        let dcBits = JPEGBlockEncoder.magnitudeBits(diff)
        writer.write(dc[c].code[dcBits], dc[c].length[dcBits])
        if dcBits > 0 {
            // Negative values are sent as value - 1 in `bits` bits (one's complement).
            writer.write(UInt32(truncatingIfNeeded: diff < 0 ? diff &- 1 : diff), dcBits)
        }
        let table = ac[c]
        var run = 0
        for k in 1..<64 {
            let value = block[JPEGTables.naturalOrder[k]]
            if value == 0 {
                run += 1
                continue
            }
            while run > 15 {
                writer.write(table.code[0xF0], table.length[0xF0])
                run -= 16
            }
            let bits = JPEGBlockEncoder.magnitudeBits(value)
            let symbol = run << 4 | bits
            writer.write(table.code[symbol], table.length[symbol])
            writer.write(UInt32(truncatingIfNeeded: value < 0 ? value &- 1 : value), bits)
            run = 0
        }
        if run > 0 { writer.write(table.code[0], table.length[0]) }
    }
}
