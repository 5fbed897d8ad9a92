/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, as zip, gzip and PNG use it), slice-by-16
/// (see `SlicedCRC`).
public enum CRC32 {
    /// CRC of `bytes`, continuing from `crc` (0 to start): `checksum(b, continuing: checksum(a))`
    /// equals the CRC of `a` followed by `b`.
    public static func checksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        SlicedCRC.checksum(bytes, continuing: crc, tables: tables)
    }

    /// CRC of `bytes`, continuing from `crc` (0 to start).
    public static func checksum(_ bytes: [UInt8], continuing crc: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0, continuing: crc) }
    }

    private static let tables = SlicedCRC.tables(polynomial: 0xEDB8_8320)
}
