/// The Huffman codes of a dynamic block and the run-length-coded header that transmits them
/// (RFC 1951 §3.2.7).
struct DynamicHeader {
    /// Code lengths of the literal/length (286) and distance (30) alphabets.
    let literalLengths: [UInt8]
    let distanceLengths: [UInt8]
    /// Bits of the header after the 3-bit block header.
    let headerBits: Int

    private let literalCount: Int
    private let distanceCount: Int
    private let precodeCount: Int
    private let precodeLengths: [UInt8]
    /// Code-length symbols (0...18) with their extra-bit values.
    private let items: [(symbol: Int, extra: UInt32)]

    private static let precodeOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
    private static let precodeExtraBits = [16: 2, 17: 3, 18: 7]

    init(literalFrequencies: [Int], distanceFrequencies: [Int]) {
        literalLengths = HuffmanEncoder.codeLengths(frequencies: Self.atLeastTwoUsed(literalFrequencies), maxLength: 15)
        distanceLengths = HuffmanEncoder.codeLengths(frequencies: Self.atLeastTwoUsed(distanceFrequencies), maxLength: 15)
        var literalCount = 286
        while literalCount > 257 && literalLengths[literalCount - 1] == 0 { literalCount -= 1 }
        var distanceCount = 30
        while distanceCount > 1 && distanceLengths[distanceCount - 1] == 0 { distanceCount -= 1 }
        self.literalCount = literalCount
        self.distanceCount = distanceCount

        let items = Self.runLengthItems(Array(literalLengths[0..<literalCount]) + Array(distanceLengths[0..<distanceCount]))
        var precodeFrequencies = [Int](repeating: 0, count: 19)
        for item in items { precodeFrequencies[item.symbol] += 1 }
        precodeLengths = HuffmanEncoder.codeLengths(frequencies: Self.atLeastTwoUsed(precodeFrequencies), maxLength: 7)
        var precodeCount = 19
        while precodeCount > 4 && precodeLengths[Self.precodeOrder[precodeCount - 1]] == 0 { precodeCount -= 1 }
        self.precodeCount = precodeCount
        self.items = items

        var bits = 5 + 5 + 4 + 3 * precodeCount
        for item in items { bits += Int(precodeLengths[item.symbol]) + (Self.precodeExtraBits[item.symbol] ?? 0) }
        headerBits = bits
    }

    /// Decoders (zlib's among them) reject an incomplete code with more than one possible length,
    /// so every code gets at least two used symbols, as zlib's encoder does.
    private static func atLeastTwoUsed(_ frequencies: [Int]) -> [Int] {
        var result = frequencies
        var used = result.reduce(0) { $0 + ($1 > 0 ? 1 : 0) }
        var symbol = 0
        while used < 2 && symbol < result.count {
            if result[symbol] == 0 {
                result[symbol] = 1
                used += 1
            }
            symbol += 1
        }
        return result
    }

    /// zlib's scan_tree: runs of zeros as 17 (3-10) or 18 (11-138), repeats of the previous
    /// length as 16 (3-6), anything else literally.
    private static func runLengthItems(_ lengths: [UInt8]) -> [(symbol: Int, extra: UInt32)] {
        var items: [(symbol: Int, extra: UInt32)] = []
        var index = 0
        while index < lengths.count {
            let value = Int(lengths[index])
            var run = 1
            while index + run < lengths.count && lengths[index + run] == lengths[index] { run += 1 }
            index += run
            if value == 0 {
                while run >= 11 {
                    let take = min(run, 138)
                    items.append((18, UInt32(take - 11)))
                    run -= take
                }
                if run >= 3 {
                    items.append((17, UInt32(run - 3)))
                    run = 0
                }
            } else {
                items.append((value, 0))
                run -= 1
                while run >= 3 {
                    let take = min(run, 6)
                    items.append((16, UInt32(take - 3)))
                    run -= take
                }
            }
            while run > 0 {
                items.append((value, 0))
                run -= 1
            }
        }
        return items
    }

    /// Writes HLIT, HDIST, HCLEN, the precode lengths and the coded code lengths.
    func write(to writer: inout DeflateBitWriter) {
        writer.write(UInt32(literalCount - 257), 5)
        writer.write(UInt32(distanceCount - 1), 5)
        writer.write(UInt32(precodeCount - 4), 4)
        for index in 0..<precodeCount { writer.write(UInt32(precodeLengths[Self.precodeOrder[index]]), 3) }
        let codes = HuffmanEncoder.reversedCodes(lengths: precodeLengths)
        for item in items {
            writer.write(UInt32(codes[item.symbol]), Int(precodeLengths[item.symbol]))
            if let extra = Self.precodeExtraBits[item.symbol] { writer.write(item.extra, extra) }
        }
    }
}
