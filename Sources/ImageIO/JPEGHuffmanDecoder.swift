// Huffman decoding tables (T.81 Annex C + F.16) with 9-bit lookahead, as libjpeg's
// jpeg_make_d_derived_tbl validates and decodes them, plus a combined "code + value" table for AC.

/// Decoding tables for one Huffman table. Storage is owned and freed by the instance; the hot loops
/// use the raw pointers through `JPEGHuffmanLUT`.
final class JPEGHuffmanDecoder {
    static let lookaheadBits = 9

    /// `fast[peek9]` = (code length << 8) | symbol, or 0 when the code is longer than 9 bits.
    let fast: UnsafeMutablePointer<UInt16>
    /// AC only: `fastAC[peek9]` = (coefficient << 8) | (run << 4) | (code length + value bits), when the
    /// code and its value bits fit in 9 bits; EOB and ZRL have coefficient 0; 0 for anything else.
    let fastAC: UnsafeMutablePointer<Int32>
    /// Per code length l (index 0...17): largest code of that length (-1 if none) and the offset that
    /// maps a code of that length to its index in `symbols`.
    let maxCode: UnsafeMutablePointer<Int32>
    let valueOffset: UnsafeMutablePointer<Int32>
    let symbols: UnsafeMutablePointer<UInt8>

    /// Builds the tables; throws a description of the problem for an invalid table (libjpeg's
    /// JERR_BAD_HUFF_TABLE cases: too many symbols, over-subscribed code space, DC symbols > 15).
    init(_ spec: JPEGTables.HuffmanSpec, isDC: Bool) throws(JPEGProblem) {
        let size = 1 << JPEGHuffmanDecoder.lookaheadBits
        fast = .allocate(capacity: size)
        fastAC = .allocate(capacity: size)
        maxCode = .allocate(capacity: 18)
        valueOffset = .allocate(capacity: 18)
        symbols = .allocate(capacity: 256)
        fast.initialize(repeating: 0, count: size)
        fastAC.initialize(repeating: 0, count: size)
        maxCode.initialize(repeating: -1, count: 18)
        valueOffset.initialize(repeating: 0, count: 18)
        symbols.initialize(repeating: 0, count: 256)

        guard spec.counts.count == 16 else { throw JPEGProblem("Huffman table without 16 code counts") }
        // C.1: code length of every symbol, in order.
        var lengths: [Int] = []
        for l in 1...16 {
            let n = Int(spec.counts[l - 1])
            if lengths.count + n > 256 { throw JPEGProblem("Huffman table with more than 256 codes") }
            lengths.append(contentsOf: repeatElement(l, count: n))
        }
        guard spec.symbols.count >= lengths.count else {
            throw JPEGProblem("Huffman table lists \(lengths.count) codes but \(spec.symbols.count) symbols")
        }
        for i in 0..<lengths.count { symbols[i] = spec.symbols[i] }
        if isDC, let bad = spec.symbols.prefix(lengths.count).first(where: { $0 > 15 }) {
            throw JPEGProblem("DC Huffman table has symbol \(bad) (at most 15 allowed)")
        }
        // C.2: canonical codes; a legal table never needs a code of all ones beyond its length.
        var codes = [Int](repeating: 0, count: lengths.count)
        var code = 0
        var p = 0
        var si = lengths.first ?? 0
        while p < lengths.count {
            while p < lengths.count && lengths[p] == si {
                codes[p] = code
                code += 1
                p += 1
            }
            if code >= (1 << si) { throw JPEGProblem("Huffman table code lengths over-subscribe the code space") }
            code <<= 1
            si += 1
        }
        // F.15: per-length maximum codes and value offsets.
        p = 0
        for l in 1...16 {
            let n = Int(spec.counts[l - 1])
            if n > 0 {
                valueOffset[l] = Int32(p - codes[p])
                p += n
                maxCode[l] = Int32(codes[p - 1])
            }
        }
        maxCode[17] = 0xFFFFF
        // Lookahead tables.
        let look = JPEGHuffmanDecoder.lookaheadBits
        for i in 0..<lengths.count where lengths[i] <= look {
            let l = lengths[i]
            let symbol = Int(symbols[i])
            let first = codes[i] << (look - l)
            for entry in first..<(first + (1 << (look - l))) {
                fast[entry] = UInt16(l << 8 | symbol)
                let run = symbol >> 4
                let s = symbol & 15
                if !isDC && s != 0 && l + s <= look {
                    let raw = (entry >> (look - l - s)) & ((1 << s) - 1)
                    let value = jpegExtend(raw, s)
                    fastAC[entry] = Int32(value << 8 | run << 4 | (l + s))
                } else if !isDC && s == 0 && (run == 0 || run == 15) {
                    // EOB and ZRL: value field 0 (a coded coefficient is never 0).
                    fastAC[entry] = Int32(run << 4 | l)
                }
            }
        }
    }

    deinit {
        fast.deallocate()
        fastAC.deallocate()
        maxCode.deallocate()
        valueOffset.deallocate()
        symbols.deallocate()
    }

    var lut: JPEGHuffmanLUT {
        JPEGHuffmanLUT(fast: fast, fastAC: fastAC, maxCode: maxCode, valueOffset: valueOffset, symbols: symbols)
    }
}

/// The raw pointers of a `JPEGHuffmanDecoder`, for hot loops (valid while the decoder is alive).
struct JPEGHuffmanLUT {
    let fast: UnsafeMutablePointer<UInt16>
    let fastAC: UnsafeMutablePointer<Int32>
    let maxCode: UnsafeMutablePointer<Int32>
    let valueOffset: UnsafeMutablePointer<Int32>
    let symbols: UnsafeMutablePointer<UInt8>

    /// Decodes one symbol; the reader must hold at least 32 bits. An invalid code decodes as
    /// symbol 0 after 17 bits, as libjpeg does (jpeg_huff_decode).
    @inline(__always) func decode(_ reader: inout JPEGBitReader) -> Int {
        var entry = Int(fast[reader.peek(JPEGHuffmanDecoder.lookaheadBits)])
        if entry == 0 { entry = decodeSlow(reader.peek(16)) }
        reader.skip(entry >> 8)
        return entry & 0xFF
    }

    /// Codes longer than the lookahead: (length << 8) | symbol for the next 16 bits `code16`.
    /// Takes and returns plain values so that the reader's state can stay in registers.
    @inline(never) func decodeSlow(_ code16: Int) -> Int {
        var l = JPEGHuffmanDecoder.lookaheadBits + 1
        while l <= 16 {
            let code = code16 >> (16 - l)
            if code <= Int(maxCode[l]) {
                return l << 8 | Int(symbols[(code + Int(valueOffset[l])) & 0xFF])
            }
            l += 1
        }
        return 17 << 8
    }
}

/// A decoding problem without the file name (added by the caller when it becomes an `ImageIOError`).
struct JPEGProblem: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
