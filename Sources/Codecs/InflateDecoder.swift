/// The DEFLATE block decoder (RFC 1951): stored, fixed-Huffman and dynamic-Huffman blocks.
///
/// Speed comes from: one 64-bit refill per symbol (enough bits for a length, its extra bits, a
/// distance and its extra bits), 11-bit first-level tables whose entries carry the value, extra-bit
/// count and flags together, and match copies by 8-byte words into an output with slack.
/// Safety: table indices stay inside the tables by construction, every distance is checked
/// against the output written so far, every write against the capacity, every read against the end.
struct InflateDecoder {
    private typealias Table = HuffmanDecodeTable

    var input: InflateBitReader
    var output: InflateOutput
    /// Bytes of output produced so far.
    var written = 0
    /// Literal/length table, then distance table, then precode table.
    private let tables: UnsafeMutablePointer<UInt32>
    private var fixedTablesLoaded = false

    init(input: InflateBitReader, output: InflateOutput) {
        self.input = input
        self.output = output
        tables = .allocate(capacity: Table.literalLengthCapacity + Table.distanceCapacity + Table.precodeCapacity)
    }

    /// Frees the tables (the output stays with the caller).
    func releaseTables() { tables.deallocate() }

    private var literalLengthTable: UnsafeMutablePointer<UInt32> { tables }
    private var distanceTable: UnsafeMutablePointer<UInt32> { tables + Table.literalLengthCapacity }
    private var precodeTable: UnsafeMutablePointer<UInt32> { tables + Table.literalLengthCapacity + Table.distanceCapacity }

    /// Decodes blocks up to and including the final one. Returns false if decoding stopped early
    /// because the output reached its limit with `stopAtLimit` set.
    mutating func run() throws(CodecError) -> Bool {
        while true {
            try input.refill()
            let header = input.peek(3)
            input.drop(3)
            let stopped: Bool
            switch header >> 1 {
            case 0:
                stopped = try storedBlock()
            case 1:
                try loadFixedTables()
                stopped = try huffmanBlock()
            case 2:
                try loadDynamicTables()
                stopped = try huffmanBlock()
            default:
                throw CodecError("invalid deflate block type 3")
            }
            if stopped { return false }
            if header & 1 != 0 { break }
        }
        try input.checkNotOverrun()
        return true
    }

    // MARK: - Blocks

    private mutating func storedBlock() throws(CodecError) -> Bool {
        try input.alignToByte()
        guard input.end - input.position >= 4 else { throw InflateBitReader.truncated }
        let p = input.base + input.position
        let length = Int(p[0]) | Int(p[1]) << 8
        let complement = Int(p[2]) | Int(p[3]) << 8
        guard length == complement ^ 0xFFFF else { throw CodecError("stored block length check failed") }
        input.position += 4
        guard input.end - input.position >= length else { throw InflateBitReader.truncated }
        var copyCount = length
        var stopped = false
        if length > output.capacity - written, try !output.grow(toHold: written + length) {
            guard output.stopAtLimit else { throw overLimit }
            copyCount = output.capacity - written
            stopped = true
        }
        (output.base + written).update(from: input.base + input.position, count: copyCount)
        input.position += length
        written += copyCount
        return stopped
    }

    private var overLimit: CodecError { CodecError("inflated data exceeds the limit of \(output.limit) bytes") }

    /// Decodes one Huffman block with the loaded tables. Returns true if stopped at the limit.
    private mutating func huffmanBlock() throws(CodecError) -> Bool {
        var bits = input
        defer { input = bits }
        let literalTable = literalLengthTable
        let distTable = distanceTable
        let literalMask = (1 << Table.literalLengthRootBits) - 1
        let distanceMask = (1 << Table.distanceRootBits) - 1
        var out = output.base
        var capacity = output.capacity
        var position = written
        defer { written = position }

        while true {
            if bits.count < 48 { try bits.refill() }
            var entry = literalTable[bits.peek(Table.literalLengthRootBits) & literalMask]
            if entry & Table.subtable != 0 {
                bits.drop(Table.literalLengthRootBits)
                entry = literalTable[Int(entry >> 16) + bits.peek(Int((entry >> 8) & 15))]
            }
            bits.drop(Int(entry & 0xFF))
            if entry & Table.literal != 0 {
                if position == capacity {
                    guard try output.grow(toHold: position + 1) else {
                        if output.stopAtLimit { return true }
                        throw overLimit
                    }
                    out = output.base
                    capacity = output.capacity
                }
                out[position] = UInt8(truncatingIfNeeded: entry >> 16)
                position += 1
                continue
            }
            if entry & (Table.endOfBlock | Table.invalid) != 0 {
                if entry & Table.endOfBlock != 0 { return false }
                throw CodecError("invalid literal/length code")
            }
            let lengthExtra = Int((entry >> 8) & 15)
            var length = Int(entry >> 16) + bits.peek(lengthExtra)
            bits.drop(lengthExtra)

            var distEntry = distTable[bits.peek(Table.distanceRootBits) & distanceMask]
            if distEntry & Table.subtable != 0 {
                bits.drop(Table.distanceRootBits)
                distEntry = distTable[Int(distEntry >> 16) + bits.peek(Int((distEntry >> 8) & 15))]
            }
            bits.drop(Int(distEntry & 0xFF))
            if distEntry & Table.invalid != 0 { throw CodecError("invalid distance code") }
            let distanceExtra = Int((distEntry >> 8) & 15)
            let distance = Int(distEntry >> 16) + bits.peek(distanceExtra)
            bits.drop(distanceExtra)
            guard distance <= position else { throw CodecError("invalid distance too far back") }

            var stopped = false
            if length > capacity - position {
                if try output.grow(toHold: position + length) {
                    out = output.base
                    capacity = output.capacity
                } else {
                    guard output.stopAtLimit else { throw overLimit }
                    length = capacity - position
                    stopped = true
                }
            }
            Self.copyMatch(to: out + position, distance: distance, length: length)
            position += length
            if stopped { return true }
        }
    }

    /// Copies `length` bytes from `distance` back; may write up to 7 bytes past the end (slack).
    @inline(__always)
    private static func copyMatch(to destination: UnsafeMutablePointer<UInt8>, distance: Int, length: Int) {
        var dst = UnsafeMutableRawPointer(destination)
        let end = dst + length
        if distance >= 8 {
            var src = UnsafeRawPointer(dst - distance)
            repeat {
                dst.storeBytes(of: src.loadUnaligned(as: UInt64.self), as: UInt64.self)
                src += 8
                dst += 8
            } while dst < end
        } else if distance == 1 {
            let word = UInt64(destination[-1]) &* 0x0101_0101_0101_0101
            repeat {
                dst.storeBytes(of: word, as: UInt64.self)
                dst += 8
            } while dst < end
        } else {
            let src = destination - distance
            for index in 0..<length { destination[index] = src[index] }
        }
    }

    // MARK: - Tables

    private mutating func loadFixedTables() throws(CodecError) {
        if fixedTablesLoaded { return }
        var lengths = [UInt8](repeating: 8, count: 288 + 32)
        for symbol in 144..<256 { lengths[symbol] = 9 }
        for symbol in 256..<280 { lengths[symbol] = 7 }
        for symbol in 288..<320 { lengths[symbol] = 5 }
        try lengths.withUnsafeBufferPointer { (lens) throws(CodecError) in
            try buildTables(lengths: lens.baseAddress!, literalCount: 288, distanceCount: 32)
        }
        fixedTablesLoaded = true
    }

    private static let precodeOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    private mutating func loadDynamicTables() throws(CodecError) {
        fixedTablesLoaded = false
        try input.refill()
        let literalCount = input.peek(5) + 257
        let distanceCount = (input.peek(10) >> 5) + 1
        let precodeCount = (input.peek(14) >> 10) + 4
        input.drop(14)
        guard literalCount <= 286 else { throw CodecError("too many length or literal codes (\(literalCount))") }
        guard distanceCount <= 30 else { throw CodecError("too many distance codes (\(distanceCount))") }

        var lengths = [UInt8](repeating: 0, count: 320)
        for index in 0..<precodeCount {
            if input.count < 3 { try input.refill() }
            lengths[Self.precodeOrder[index]] = UInt8(input.peek(3))
            input.drop(3)
        }
        let precodeFailure = lengths.withUnsafeBufferPointer { lens in
            Table.precodePayload.withUnsafeBufferPointer { payload in
                Table.build(lengths: lens.baseAddress!, symbolCount: 19, payload: payload.baseAddress!,
                            rootBits: Table.precodeRootBits, table: precodeTable,
                            capacity: Table.precodeCapacity, allowIncomplete: false)
            }
        }
        if precodeFailure != nil { throw CodecError("invalid code lengths set") }

        let total = literalCount + distanceCount
        var index = 0
        let precode = precodeTable
        for slot in 0..<19 { lengths[slot] = 0 }
        while index < total {
            if input.count < 14 { try input.refill() }
            let entry = precode[input.peek(Table.precodeRootBits)]
            input.drop(Int(entry & 0xFF))
            let symbol = Int(entry >> 16)
            if symbol < 16 {
                lengths[index] = UInt8(symbol)
                index += 1
                continue
            }
            var value: UInt8 = 0
            let repeatCount: Int
            switch symbol {
            case 16:
                guard index > 0 else { throw CodecError("invalid bit length repeat") }
                value = lengths[index - 1]
                repeatCount = 3 + input.peek(2)
                input.drop(2)
            case 17:
                repeatCount = 3 + input.peek(3)
                input.drop(3)
            default:
                repeatCount = 11 + input.peek(7)
                input.drop(7)
            }
            guard index + repeatCount <= total else { throw CodecError("invalid bit length repeat") }
            for offset in 0..<repeatCount { lengths[index + offset] = value }
            index += repeatCount
        }
        guard lengths[256] != 0 else { throw CodecError("invalid code -- missing end-of-block") }
        // Distance lengths start at `literalCount`; move them to 288 for buildTables.
        var distanceLengths = [UInt8](repeating: 0, count: 32)
        for symbol in 0..<distanceCount { distanceLengths[symbol] = lengths[literalCount + symbol] }
        for symbol in literalCount..<320 { lengths[symbol] = 0 }
        for symbol in 0..<32 { lengths[288 + symbol] = distanceLengths[symbol] }
        try lengths.withUnsafeBufferPointer { (lens) throws(CodecError) in
            try buildTables(lengths: lens.baseAddress!, literalCount: literalCount, distanceCount: distanceCount)
        }
    }

    /// Builds the literal/length table from `lengths[0..<literalCount]` and the distance table from
    /// `lengths[288..<288 + distanceCount]`.
    private func buildTables(lengths: UnsafePointer<UInt8>, literalCount: Int, distanceCount: Int) throws(CodecError) {
        let literalFailure = Table.literalLengthPayload.withUnsafeBufferPointer { payload in
            Table.build(lengths: lengths, symbolCount: literalCount, payload: payload.baseAddress!,
                        rootBits: Table.literalLengthRootBits, table: literalLengthTable,
                        capacity: Table.literalLengthCapacity, allowIncomplete: true)
        }
        if literalFailure != nil { throw CodecError("invalid literal/lengths set") }
        let distanceFailure = Table.distancePayload.withUnsafeBufferPointer { payload in
            Table.build(lengths: lengths + 288, symbolCount: distanceCount, payload: payload.baseAddress!,
                        rootBits: Table.distanceRootBits, table: distanceTable,
                        capacity: Table.distanceCapacity, allowIncomplete: true)
        }
        if distanceFailure != nil { throw CodecError("invalid distances set") }
    }
}
