/// Lookup tables for decoding canonical Huffman codes (RFC 1951 §3.2.2), LSB-first as DEFLATE
/// stores them. One entry per `rootBits`-bit index; codes longer than `rootBits` go through one
/// second-level subtable per shared root prefix (the same two-level layout as zlib's inftrees).
///
/// Entry layout (UInt32):
/// - bits 0...7: bits to consume at this level (the codeword length, or `rootBits` for a pointer)
/// - bits 8...11: extra bits that follow the code (lengths, distances) or the subtable's index bits
/// - bits 12...15: flags (`literal`, `endOfBlock`, `subtable`, `invalid`)
/// - bits 16...31: the value (literal byte, length or distance base, symbol, or subtable start)
enum HuffmanDecodeTable {
    static let literal: UInt32 = 0x1000
    static let endOfBlock: UInt32 = 0x2000
    static let subtable: UInt32 = 0x4000
    static let invalid: UInt32 = 0x8000

    /// Index bits of the first-level tables.
    static let literalLengthRootBits = 11
    static let distanceRootBits = 8
    static let precodeRootBits = 7

    /// Worst-case table sizes (first level plus subtables) for complete codes of up to 288 / 32 / 19
    /// symbols and those root sizes, as computed by zlib's `examples/enough.c`.
    static let literalLengthCapacity = 2342
    static let distanceCapacity = 402
    static let precodeCapacity = 128

    /// What a table build found wrong with the code lengths.
    enum Failure: Error {
        case overSubscribed, incomplete, tooLarge
    }

    /// Fills `table` for the code given by `lengths[0..<symbolCount]` (0 = unused symbol, at most
    /// 15). `payload[symbol]` supplies the value, extra-bit count and flags of each entry.
    ///
    /// Like zlib, an incomplete code is rejected unless `allowIncomplete` and it is a single code of
    /// length 1; a code with no symbols at all is accepted when `allowIncomplete` (a block of only
    /// literals has no distance code). Unassigned codewords decode to `invalid` entries.
    static func build(lengths: UnsafePointer<UInt8>, symbolCount: Int, payload: UnsafePointer<UInt32>,
                      rootBits: Int, table: UnsafeMutablePointer<UInt32>, capacity: Int,
                      allowIncomplete: Bool) -> Failure? {
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 16 + 17 + 288) { scratch in
            let count = scratch.baseAddress!           // count[len], len 0...15
            let offset = count + 16                    // offset[len] into `sorted`
            let sorted = offset + 17                   // symbols by (length, symbol)
            for len in 0..<16 { count[len] = 0 }
            for symbol in 0..<symbolCount { count[Int(lengths[symbol])] += 1 }

            var left = 1
            var maxLength = 0
            for len in 1...15 {
                left <<= 1
                left -= count[len]
                if left < 0 { return .overSubscribed }
                if count[len] > 0 { maxLength = len }
            }
            let rootSize = 1 << rootBits
            if maxLength == 0 || left > 0 {
                guard allowIncomplete, maxLength <= 1 else { return .incomplete }
                for index in 0..<rootSize { table[index] = invalid | 1 }
                if maxLength == 0 { return nil }
            }

            offset[1] = 0
            for len in 1...15 { offset[len + 1] = offset[len] + count[len] }
            for symbol in 0..<symbolCount where lengths[symbol] != 0 {
                let len = Int(lengths[symbol])
                sorted[offset[len]] = symbol
                offset[len] += 1
            }

            let rootMask = rootSize - 1
            var code = 0                 // canonical code, most significant bit first
            var index = 0
            var currentPrefix = -1
            var subStart = 0
            var subBits = 0
            var nextSubtable = rootSize
            for len in 1...maxLength {
                for _ in 0..<count[len] {
                    let symbol = sorted[index]
                    index += 1
                    var reversed = 0
                    for bit in 0..<len where code & (1 << bit) != 0 { reversed |= 1 << (len - 1 - bit) }
                    if len <= rootBits {
                        let entry = payload[symbol] | UInt32(len)
                        var slot = reversed
                        while slot < rootSize { table[slot] = entry; slot += 1 << len }
                    } else {
                        let prefix = reversed & rootMask
                        if prefix != currentPrefix {
                            // Smallest subtable that the remaining codes under this prefix fill.
                            subBits = len - rootBits
                            var room = 1 << subBits
                            while subBits + rootBits < maxLength {
                                room -= count[subBits + rootBits]
                                if room <= 0 { break }
                                subBits += 1
                                room <<= 1
                            }
                            subStart = nextSubtable
                            nextSubtable += 1 << subBits
                            guard nextSubtable <= capacity else { return .tooLarge }
                            table[prefix] = UInt32(subStart) << 16 | subtable | UInt32(subBits) << 8 | UInt32(rootBits)
                            currentPrefix = prefix
                        }
                        let entry = payload[symbol] | UInt32(len - rootBits)
                        var slot = reversed >> rootBits
                        while slot < 1 << subBits { table[subStart + slot] = entry; slot += 1 << (len - rootBits) }
                    }
                    count[len] -= 1
                    code += 1
                }
                code <<= 1
            }
            return nil
        }
    }

    /// Per-symbol payloads of the literal/length alphabet (0...287).
    static let literalLengthPayload: [UInt32] = {
        var payload = [UInt32](repeating: invalid, count: 288)
        for byte in 0..<256 { payload[byte] = UInt32(byte) << 16 | literal }
        payload[256] = endOfBlock
        let bases: [UInt32] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
                               35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
        let extra: [UInt32] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
                               3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
        for index in 0..<29 { payload[257 + index] = bases[index] << 16 | extra[index] << 8 }
        return payload
    }()

    /// Per-symbol payloads of the distance alphabet (0...31; 30 and 31 never occur in valid data).
    static let distancePayload: [UInt32] = {
        var payload = [UInt32](repeating: invalid, count: 32)
        var base: UInt32 = 1
        for symbol in 0..<30 {
            let extra: UInt32 = symbol < 4 ? 0 : UInt32(symbol / 2 - 1)
            payload[symbol] = base << 16 | extra << 8
            base += 1 << extra
        }
        return payload
    }()

    /// Per-symbol payloads of the code-length alphabet (0...18): the symbol itself.
    static let precodePayload: [UInt32] = (0..<19).map { UInt32($0) << 16 }
}
