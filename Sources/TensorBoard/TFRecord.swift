import Codecs

/// TFRecord framing, the container of TensorBoard event files: per record
/// `uint64 length (LE) · uint32 masked_crc32c(length bytes) · data · uint32 masked_crc32c(data)`.
public enum TFRecord {
    /// TensorFlow's CRC mask: rotate the CRC-32C right by 15 bits and add a constant, so that CRCs
    /// of data that itself holds CRCs stay well distributed.
    public static func maskedCRC(_ bytes: [UInt8]) -> UInt32 {
        let crc = CRC32C.checksum(bytes)
        return ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8
    }

    /// The framed record of `data`.
    public static func record(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(data.count + 16)
        let length = littleEndianBytes(UInt64(data.count))
        out.append(contentsOf: length)
        out.append(contentsOf: littleEndianBytes(maskedCRC(length)))
        out.append(contentsOf: data)
        out.append(contentsOf: littleEndianBytes(maskedCRC(data)))
        return out
    }

    private static func littleEndianBytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }
}
