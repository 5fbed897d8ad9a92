/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78, as iSCSI, ext4 and TFRecord files use it),
/// slice-by-16 (see `SlicedCRC`).
public enum CRC32C {
    /// CRC of `bytes`, continuing from `crc` (0 to start): `checksum(b, continuing: checksum(a))`
    /// equals the CRC of `a` followed by `b`.
    public static func checksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        SlicedCRC.checksum(bytes, continuing: crc, tables: tables)
    }

    /// CRC of `bytes`, continuing from `crc` (0 to start).
    public static func checksum(_ bytes: [UInt8], continuing crc: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0, continuing: crc) }
    }

    private static let tables = SlicedCRC.tables(polynomial: 0x82F6_3B78)
}
