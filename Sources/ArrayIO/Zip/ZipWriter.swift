import Codecs

/// Builds zip archives in memory, in one of two house styles:
/// - `.numpy`: what `np.savez` / `np.savez_compressed` write (Python `zipfile` with `force_zip64=True`:
///   local sizes 0xFFFFFFFF plus a zip64 extra field with the real sizes, DOS date 1980-01-01);
/// - `.torch`: what `torch.save` writes (stored members whose data start on a multiple of
///   `alignment` bytes, padded with an 'FB' extra field in the local header).
/// Zip64 end records are added whenever counts, sizes or offsets need them.
struct ZipWriter {
    enum Style {
        case numpy
        case torch(alignment: Int)
    }

    private struct Entry {
        var name: [UInt8]
        var method: UInt16
        var crc: UInt32
        var compressedSize: Int
        var uncompressedSize: Int
        var offset: Int
    }

    let style: Style
    private(set) var output: [UInt8] = []
    private var entries: [Entry] = []

    init(style: Style) { self.style = style }

    private var isNumPy: Bool { if case .numpy = style { return true } else { return false } }

    /// Appends a member. `compress` (DEFLATE) is honoured in the NumPy style only.
    mutating func add(name: String, data: [UInt8], compress: Bool = false) {
        let nameBytes = Array(name.utf8)
        let crc = CRC32.checksum(data)
        let stored = compress && isNumPy ? Deflate.compress(data, level: 6) : data
        let method: UInt16 = compress && isNumPy ? 8 : 0
        let offset = output.count
        let needs64 = data.count >= 0xFFFF_FFFF || stored.count >= 0xFFFF_FFFF
        output.appendLittleEndian(UInt32(0x0403_4B50))
        switch style {
        case .numpy:
            output.appendLittleEndian(UInt16(45))  // version needed: zip64
            output.appendLittleEndian(UInt16(0))  // flags
            output.appendLittleEndian(method)
            output.appendLittleEndian(UInt16(0))  // time 00:00
            output.appendLittleEndian(UInt16(0x21))  // date 1980-01-01
            output.appendLittleEndian(crc)
            output.appendLittleEndian(UInt32(0xFFFF_FFFF))
            output.appendLittleEndian(UInt32(0xFFFF_FFFF))
            output.appendLittleEndian(UInt16(nameBytes.count))
            output.appendLittleEndian(UInt16(20))
            output += nameBytes
            output.appendLittleEndian(UInt16(0x0001))
            output.appendLittleEndian(UInt16(16))
            output.appendLittleEndian(UInt64(data.count))
            output.appendLittleEndian(UInt64(stored.count))
        case .torch(let alignment):
            output.appendLittleEndian(UInt16(needs64 ? 45 : 20))
            output.appendLittleEndian(UInt16(0x0800))  // UTF-8 names
            output.appendLittleEndian(method)
            output.appendLittleEndian(UInt32(0))  // time, date
            output.appendLittleEndian(crc)
            output.appendLittleEndian(UInt32(needs64 ? 0xFFFF_FFFF : stored.count))
            output.appendLittleEndian(UInt32(needs64 ? 0xFFFF_FFFF : data.count))
            output.appendLittleEndian(UInt16(nameBytes.count))
            let zip64Length = needs64 ? 20 : 0
            let unpadded = output.count + 2 + nameBytes.count + zip64Length + 4
            let padding = (alignment - unpadded % alignment) % alignment
            output.appendLittleEndian(UInt16(zip64Length + 4 + padding))
            output += nameBytes
            if needs64 {
                output.appendLittleEndian(UInt16(0x0001))
                output.appendLittleEndian(UInt16(16))
                output.appendLittleEndian(UInt64(data.count))
                output.appendLittleEndian(UInt64(stored.count))
            }
            output.appendLittleEndian(UInt16(0x4246))  // "FB": torch's alignment padding field
            output.appendLittleEndian(UInt16(padding))
            output += [UInt8](repeating: 0x5A, count: padding)
        }
        output += stored
        entries.append(Entry(name: nameBytes, method: method, crc: crc, compressedSize: stored.count,
                             uncompressedSize: data.count, offset: offset))
    }

    /// Appends the central directory and end records and returns the archive.
    mutating func finish() -> [UInt8] {
        let directoryOffset = output.count
        for entry in entries {
            let sizes64 = entry.uncompressedSize >= 0xFFFF_FFFF || entry.compressedSize >= 0xFFFF_FFFF
            let offset64 = entry.offset >= 0xFFFF_FFFF
            var extra: [UInt8] = []
            if sizes64 || offset64 {
                extra.appendLittleEndian(UInt16(0x0001))
                extra.appendLittleEndian(UInt16((sizes64 ? 16 : 0) + (offset64 ? 8 : 0)))
                if sizes64 {
                    extra.appendLittleEndian(UInt64(entry.uncompressedSize))
                    extra.appendLittleEndian(UInt64(entry.compressedSize))
                }
                if offset64 { extra.appendLittleEndian(UInt64(entry.offset)) }
            }
            output.appendLittleEndian(UInt32(0x0201_4B50))
            output.appendLittleEndian(UInt16(isNumPy ? 0x032D : 45))  // made by (Unix, 4.5)
            output.appendLittleEndian(UInt16(isNumPy || sizes64 || offset64 ? 45 : 20))
            output.appendLittleEndian(UInt16(isNumPy ? 0 : 0x0800))
            output.appendLittleEndian(entry.method)
            output.appendLittleEndian(UInt16(0))
            output.appendLittleEndian(UInt16(isNumPy ? 0x21 : 0))
            output.appendLittleEndian(entry.crc)
            output.appendLittleEndian(UInt32(sizes64 ? 0xFFFF_FFFF : entry.compressedSize))
            output.appendLittleEndian(UInt32(sizes64 ? 0xFFFF_FFFF : entry.uncompressedSize))
            output.appendLittleEndian(UInt16(entry.name.count))
            output.appendLittleEndian(UInt16(extra.count))
            output.appendLittleEndian(UInt16(0))  // comment
            output.appendLittleEndian(UInt16(0))  // disk
            output.appendLittleEndian(UInt16(0))  // internal attributes
            output.appendLittleEndian(UInt32(isNumPy ? 0o600 << 16 : 0))
            output.appendLittleEndian(UInt32(offset64 ? 0xFFFF_FFFF : entry.offset))
            output += entry.name
            output += extra
        }
        let directorySize = output.count - directoryOffset
        let needs64 = entries.count >= 0xFFFF || directoryOffset >= 0xFFFF_FFFF || directorySize >= 0xFFFF_FFFF
        if needs64 {
            let recordOffset = output.count
            output.appendLittleEndian(UInt32(0x0606_4B50))
            output.appendLittleEndian(UInt64(44))
            output.appendLittleEndian(UInt16(45))
            output.appendLittleEndian(UInt16(45))
            output.appendLittleEndian(UInt32(0))
            output.appendLittleEndian(UInt32(0))
            output.appendLittleEndian(UInt64(entries.count))
            output.appendLittleEndian(UInt64(entries.count))
            output.appendLittleEndian(UInt64(directorySize))
            output.appendLittleEndian(UInt64(directoryOffset))
            output.appendLittleEndian(UInt32(0x0706_4B50))
            output.appendLittleEndian(UInt32(0))
            output.appendLittleEndian(UInt64(recordOffset))
            output.appendLittleEndian(UInt32(1))
        }
        output.appendLittleEndian(UInt32(0x0605_4B50))
        output.appendLittleEndian(UInt32(0))  // disk numbers
        output.appendLittleEndian(UInt16(min(entries.count, 0xFFFF)))
        output.appendLittleEndian(UInt16(min(entries.count, 0xFFFF)))
        output.appendLittleEndian(UInt32(min(directorySize, 0xFFFF_FFFF)))
        output.appendLittleEndian(UInt32(min(directoryOffset, 0xFFFF_FFFF)))
        output.appendLittleEndian(UInt16(0))
        return output
    }
}
