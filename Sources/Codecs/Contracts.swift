// CONTRACT between Codecs and its users (ImageIO PNG, ArrayIO zip/npz/pth). The signatures are
// stable; the deflate/PNG work replaces the placeholder bodies (and then moves each enum to its own file).

/// DEFLATE decompression (RFC 1951) and its zlib wrapper (RFC 1950).
public enum Inflate {
    /// Decompresses a raw DEFLATE stream. `expectedSize` (if known) presizes the output;
    /// output larger than `limit` bytes is an error (guards against decompression bombs).
    public static func decompress(_ data: [UInt8], expectedSize: Int? = nil, limit: Int = 1 << 32) throws(CodecError) -> [UInt8] {
        throw CodecError("inflate not implemented yet")
    }

    /// Decompresses a zlib stream (2-byte header, DEFLATE data, Adler-32 checked).
    public static func decompressZlib(_ data: [UInt8], expectedSize: Int? = nil, limit: Int = 1 << 32) throws(CodecError) -> [UInt8] {
        throw CodecError("inflate not implemented yet")
    }
}

/// DEFLATE compression with real LZ77 matching and Huffman coding (not stored blocks).
public enum Deflate {
    /// Compresses to a raw DEFLATE stream; `level` 1 (fast) ... 9 (small), 6 default like zlib.
    public static func compress(_ data: [UInt8], level: Int = 6) -> [UInt8] {
        fatalError("deflate not implemented yet")
    }

    /// Compresses to a zlib stream (header, DEFLATE data, Adler-32).
    public static func compressZlib(_ data: [UInt8], level: Int = 6) -> [UInt8] {
        fatalError("deflate not implemented yet")
    }
}

/// CRC-32 (IEEE 802.3, as zip and PNG use it).
public enum CRC32 {
    /// CRC of `bytes`, continuing from `crc` (0 to start).
    public static func checksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        var c = ~crc
        for byte in bytes {
            c ^= UInt32(byte)
            for _ in 0..<8 { c = (c >> 1) ^ (0xEDB8_8320 & (0 &- (c & 1))) }
        }
        return ~c
    }

    public static func checksum(_ bytes: [UInt8], continuing crc: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0, continuing: crc) }
    }
}

/// Adler-32 (zlib's checksum).
public enum Adler32 {
    public static func checksum(_ bytes: UnsafeRawBufferPointer, continuing adler: UInt32 = 1) -> UInt32 {
        var a = adler & 0xFFFF, b = adler >> 16
        for byte in bytes {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
        return b << 16 | a
    }

    public static func checksum(_ bytes: [UInt8], continuing adler: UInt32 = 1) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0, continuing: adler) }
    }
}
