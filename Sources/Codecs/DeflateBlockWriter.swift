/// Writes one DEFLATE block from LZ77 symbols, choosing the smallest of a dynamic-Huffman,
/// fixed-Huffman or stored encoding (RFC 1951 §3.2.3-3.2.7).
///
/// A symbol is a `UInt32`: a literal byte (< 256), or `matchFlag | (length - 3) << 16 | (distance - 1)`.
enum DeflateBlockWriter {
    static let matchFlag: UInt32 = 1 << 31

    /// Index 0...28 of the length code (symbol 257 + index) for `length - 3` (0...255).
    static let lengthIndex: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        var index = 0
        for lengthMinus3 in 0..<256 {
            while index < 28 && Int(lengthBase[index + 1]) - 3 <= lengthMinus3 { index += 1 }
            table[lengthMinus3] = UInt8(index)
        }
        table[255] = 28
        return table
    }()
    static let lengthBase: [UInt32] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
                                       35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra: [UInt32] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
                                        3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase: [UInt32] = (0..<30).map { (symbol: Int) -> UInt32 in
        if symbol < 4 { return UInt32(symbol + 1) }
        let pair: Int = 2 + symbol % 2
        return UInt32(pair << (symbol / 2 - 1) + 1)
    }
    static let distanceExtra: [UInt32] = (0..<30).map { (symbol: Int) -> UInt32 in symbol < 4 ? 0 : UInt32(symbol / 2 - 1) }

    /// The distance code for `distance - 1` (0...32767).
    @inline(__always)
    static func distanceSymbol(_ distanceMinus1: Int) -> Int {
        if distanceMinus1 < 4 { return distanceMinus1 }
        let log2 = Int.bitWidth - 1 - distanceMinus1.leadingZeroBitCount
        return 2 * log2 + ((distanceMinus1 >> (log2 - 1)) & 1)
    }

    static let fixedLiteralLengths: [UInt8] = (0..<288).map { (symbol: Int) -> UInt8 in
        symbol < 144 ? 8 : symbol < 256 ? 9 : symbol < 280 ? 7 : 8
    }
    static let fixedDistanceLengths = [UInt8](repeating: 5, count: 30)

    /// Encodes `symbols` (which decode to `raw`, the bytes of this block) as one block, or as
    /// stored blocks if that is smaller. `literalFrequencies` (286) and `distanceFrequencies` (30)
    /// count the symbols; the end-of-block symbol is added here.
    static func write(symbols: UnsafeBufferPointer<UInt32>, literalFrequencies: [Int], distanceFrequencies: [Int],
                      raw: UnsafeBufferPointer<UInt8>, final: Bool, storedOnly: Bool, to writer: inout DeflateBitWriter) {
        if storedOnly {
            writeStored(raw, final: final, to: &writer)
            return
        }
        var literalFrequencies = literalFrequencies
        literalFrequencies[256] = 1
        var extraBits = 0
        for index in 0..<29 { extraBits += literalFrequencies[257 + index] * Int(lengthExtra[index]) }
        for symbol in 0..<30 { extraBits += distanceFrequencies[symbol] * Int(distanceExtra[symbol]) }

        let dynamic = DynamicHeader(literalFrequencies: literalFrequencies, distanceFrequencies: distanceFrequencies)
        let dynamicBits = 3 + dynamic.headerBits + extraBits
            + cost(literalFrequencies, dynamic.literalLengths) + cost(distanceFrequencies, dynamic.distanceLengths)
        let fixedBits = 3 + extraBits + cost(literalFrequencies, fixedLiteralLengths) + cost(distanceFrequencies, fixedDistanceLengths)
        let storedBits = max(1, (raw.count + 65534) / 65535) * 40 + 8 * raw.count

        if storedBits <= min(dynamicBits, fixedBits) {
            writeStored(raw, final: final, to: &writer)
            return
        }
        writer.reserve(symbols.count * 6 + 1024)
        let literalLengths: [UInt8]
        let distanceLengths: [UInt8]
        if fixedBits <= dynamicBits {
            writer.write(final ? 3 : 2, 3)
            literalLengths = fixedLiteralLengths
            distanceLengths = fixedDistanceLengths
        } else {
            writer.write(final ? 5 : 4, 3)
            dynamic.write(to: &writer)
            literalLengths = dynamic.literalLengths
            distanceLengths = dynamic.distanceLengths
        }
        writeSymbols(symbols, literalLengths: literalLengths, distanceLengths: distanceLengths, to: &writer)
    }

    private static func cost(_ frequencies: [Int], _ lengths: [UInt8]) -> Int {
        var bits = 0
        for index in 0..<frequencies.count { bits += frequencies[index] * Int(lengths[index]) }
        return bits
    }

    static func writeStored(_ raw: UnsafeBufferPointer<UInt8>, final: Bool, to writer: inout DeflateBitWriter) {
        var offset = 0
        repeat {
            let length = min(65535, raw.count - offset)
            let last = offset + length == raw.count
            writer.reserve(length + 16)
            writer.write(final && last ? 1 : 0, 3)
            writer.alignToByte()
            writer.write(UInt32(length) | UInt32(length ^ 0xFFFF) << 16, 32)
            if length > 0 { writer.append(raw.baseAddress! + offset, count: length) }
            offset += length
        } while offset < raw.count
    }

    private static func writeSymbols(_ symbols: UnsafeBufferPointer<UInt32>, literalLengths: [UInt8],
                                     distanceLengths: [UInt8], to writer: inout DeflateBitWriter) {
        let literalCodes = HuffmanEncoder.reversedCodes(lengths: literalLengths).map(UInt32.init)
        let distanceCodes = HuffmanEncoder.reversedCodes(lengths: distanceLengths).map(UInt32.init)
        let literalBits = literalLengths.map(Int.init)
        let distanceBits = distanceLengths.map(Int.init)
        literalCodes.withUnsafeBufferPointer { litCode in
        literalBits.withUnsafeBufferPointer { litBits in
        distanceCodes.withUnsafeBufferPointer { distCode in
        distanceBits.withUnsafeBufferPointer { distBits in
        lengthIndex.withUnsafeBufferPointer { lengthIndex in
        lengthBase.withUnsafeBufferPointer { lengthBase in
        lengthExtra.withUnsafeBufferPointer { lengthExtra in
        distanceBase.withUnsafeBufferPointer { distanceBase in
        distanceExtra.withUnsafeBufferPointer { distanceExtra in
            for symbol in symbols {
                if symbol & matchFlag == 0 {
                    let literal = Int(symbol)
                    writer.write(litCode[literal], litBits[literal])
                    continue
                }
                let lengthMinus3 = Int((symbol >> 16) & 0xFF)
                let index = Int(lengthIndex[lengthMinus3])
                let code = 257 + index
                let lengthExtraValue = UInt32(lengthMinus3 + 3) - lengthBase[index]
                writer.write(litCode[code] | lengthExtraValue << UInt32(litBits[code]), litBits[code] + Int(lengthExtra[index]))
                let distanceMinus1 = Int(symbol & 0xFFFF)
                let distSymbol = distanceSymbol(distanceMinus1)
                let distanceExtraValue = UInt32(distanceMinus1 + 1) - distanceBase[distSymbol]
                writer.write(distCode[distSymbol] | distanceExtraValue << UInt32(distBits[distSymbol]),
                             distBits[distSymbol] + Int(distanceExtra[distSymbol]))
            }
            writer.write(litCode[256], litBits[256])
        }}}}}}}}}
    }
}
