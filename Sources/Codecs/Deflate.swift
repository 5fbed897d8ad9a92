/// DEFLATE compression (RFC 1951) with LZ77 matching and Huffman coding, and its zlib wrapper.
///
/// Each block of up to 16384 symbols is written as dynamic Huffman, fixed Huffman or stored,
/// whichever is smallest, so incompressible data grows by only 5 bytes per 64 KiB.
public enum Deflate {
    /// Compresses to a raw DEFLATE stream; `level` 0 (stored only), 1 (fast) ... 9 (small),
    /// 6 default like zlib.
    public static func compress(_ data: [UInt8], level: Int = 6) -> [UInt8] {
        var writer = DeflateBitWriter(initialCapacity: data.count / 2 + 64)
        data.withUnsafeBufferPointer { DeflateCompressor.compress($0, level: level, into: &writer) }
        writer.alignToByte()
        return writer.finish()
    }

    /// Compresses to a zlib stream (header, DEFLATE data, Adler-32).
    public static func compressZlib(_ data: [UInt8], level: Int = 6) -> [UInt8] {
        var writer = DeflateBitWriter(initialCapacity: data.count / 2 + 64)
        // CMF 0x78: deflate with a 32 KiB window; FLG: zlib's FLEVEL for the level, check bits.
        let levelFlag = level < 2 ? 0 : level < 6 ? 1 : level == 6 ? 2 : 3
        let flags = levelFlag << 6
        writer.reserve(2)
        writer.write(UInt32(0x78 | (flags + 31 - (0x78 << 8 | flags) % 31) << 8), 16)
        data.withUnsafeBufferPointer { DeflateCompressor.compress($0, level: level, into: &writer) }
        writer.alignToByte()
        let adler = Adler32.checksum(data)
        writer.reserve(4)
        writer.write(adler.byteSwapped, 32)
        return writer.finish()
    }
}
