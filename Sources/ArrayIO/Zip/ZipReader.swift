import Codecs

/// Reads zip archives as NumPy (`.npz`) and PyTorch (`.pth` zip format) write them: STORED and
/// DEFLATE members, zip64 (end record, locator, extra fields), data descriptors. Members are found
/// through the central directory; every size and offset is checked against the file, and every
/// member's CRC-32 is verified when it is extracted.
struct ZipReader {
    struct Member {
        var name: String
        var method: UInt16
        var flags: UInt16
        var crc: UInt32
        var compressedSize: Int
        var uncompressedSize: Int
        var localHeaderOffset: Int
    }

    let bytes: [UInt8]
    let file: String
    private(set) var members: [Member] = []

    /// Entries beyond this are refused (guards the member table against absurd counts).
    static let maximumMembers = 1 << 20

    init(_ bytes: [UInt8], file: String) throws(ArrayIOError) {
        self.bytes = bytes
        self.file = file
        let (count, directoryOffset, directorySize) = try locateCentralDirectory()
        var cursor = ByteCursor(bytes, at: directoryOffset, file: file, context: "zip central directory")
        let directoryEnd = directoryOffset + directorySize
        for _ in 0..<count {
            guard try cursor.u32() == 0x0201_4B50 else { throw error("bad central directory entry signature at offset \(cursor.position - 4)") }
            try cursor.skip(4)  // version made by, version needed
            let flags = try cursor.u16()
            let method = try cursor.u16()
            try cursor.skip(4)  // time, date
            let crc = try cursor.u32()
            var compressed = UInt64(try cursor.u32())
            var uncompressed = UInt64(try cursor.u32())
            let nameLength = Int(try cursor.u16())
            let extraLength = Int(try cursor.u16())
            let commentLength = Int(try cursor.u16())
            try cursor.skip(8)  // disk number, internal and external attributes
            var localOffset = UInt64(try cursor.u32())
            let nameBytes = try cursor.slice(nameLength)
            var extra = ByteCursor(try cursor.take(extraLength), file: file, context: "zip64 extra field")
            try cursor.skip(commentLength)
            while extra.remaining >= 4 {
                let id = try extra.u16()
                let size = Int(try extra.u16())
                var field = ByteCursor(try extra.take(size), file: file, context: "zip64 extra field")
                guard id == 0x0001 else { continue }
                // Only the header fields saturated at 0xFFFFFFFF are present, in this order.
                if uncompressed == 0xFFFF_FFFF { uncompressed = try field.u64() }
                if compressed == 0xFFFF_FFFF { compressed = try field.u64() }
                if localOffset == 0xFFFF_FFFF { localOffset = try field.u64() }
            }
            guard cursor.position <= directoryEnd else { throw error("central directory overruns its declared size") }
            guard compressed <= UInt64(bytes.count), uncompressed < 1 << 40, localOffset <= UInt64(bytes.count) else {
                throw error("member sizes or offset out of range (compressed \(compressed), uncompressed \(uncompressed), offset \(localOffset))")
            }
            let name = String(validating: nameBytes, as: UTF8.self) ?? String(nameBytes.map { Character(Unicode.Scalar($0)) })
            members.append(Member(name: name, method: method, flags: flags, crc: crc, compressedSize: Int(compressed),
                                  uncompressedSize: Int(uncompressed), localHeaderOffset: Int(localOffset)))
        }
    }

    private func error(_ problem: String) -> ArrayIOError { ArrayIOError(file: file, "zip: \(problem)") }

    /// Finds the end-of-central-directory record (and its zip64 twin) at the end of the file.
    private func locateCentralDirectory() throws(ArrayIOError) -> (count: Int, offset: Int, size: Int) {
        guard bytes.count >= 22 else { throw error("not a zip archive (too short)") }
        var end = -1
        var position = bytes.count - 22
        let lowest = max(0, bytes.count - 22 - 0xFFFF)
        while position >= lowest {
            if bytes[position] == 0x50, bytes[position + 1] == 0x4B, bytes[position + 2] == 5, bytes[position + 3] == 6,
               Int(bytes.loadLittleEndian(at: position + 20, width: 2)) == bytes.count - position - 22 {
                end = position
                break
            }
            position -= 1
        }
        guard end >= 0 else { throw error("not a zip archive (no end of central directory record)") }
        var count = Int(bytes.loadLittleEndian(at: end + 10, width: 2))
        var size = Int(bytes.loadLittleEndian(at: end + 12, width: 4))
        var offset = Int(bytes.loadLittleEndian(at: end + 16, width: 4))
        if end >= 20, bytes.loadLittleEndian(at: end - 20, width: 4) == 0x0706_4B50 {
            let recordOffset = bytes.loadLittleEndian(at: end - 12, width: 8)
            guard recordOffset <= UInt64(end - 20) else { throw error("zip64 locator points outside the file") }
            var record = ByteCursor(bytes, at: Int(recordOffset), file: file, context: "zip64 end of central directory")
            guard try record.u32() == 0x0606_4B50 else { throw error("bad zip64 end of central directory signature") }
            try record.skip(8 + 4 + 4 + 4 + 8)  // record size, versions, disk numbers, entries on this disk
            let count64 = try record.u64()
            let size64 = try record.u64()
            let offset64 = try record.u64()
            guard count64 <= UInt64(Self.maximumMembers), size64 <= UInt64(bytes.count), offset64 <= UInt64(bytes.count) else {
                throw error("zip64 central directory out of range")
            }
            (count, size, offset) = (Int(count64), Int(size64), Int(offset64))
        }
        guard offset <= bytes.count, size <= bytes.count - offset, count <= Self.maximumMembers,
              count <= size / 46 else {
            throw error("central directory out of range (\(count) entries, \(size) bytes at offset \(offset))")
        }
        return (count, offset, size)
    }

    /// The first member named `name`.
    func member(named name: String) -> Member? { members.first { $0.name == name } }

    /// The byte range of a member's stored data, found through its local header.
    func dataRange(of member: Member) throws(ArrayIOError) -> Range<Int> {
        var cursor = ByteCursor(bytes, at: member.localHeaderOffset, file: file, context: "zip local header of '\(member.name)'")
        guard try cursor.u32() == 0x0403_4B50 else { throw error("bad local header signature for '\(member.name)'") }
        try cursor.skip(22)
        let nameLength = Int(try cursor.u16())
        let extraLength = Int(try cursor.u16())
        try cursor.skip(nameLength + extraLength)
        guard member.compressedSize <= cursor.remaining else {
            throw error("data of '\(member.name)' runs past the end of the file (truncated archive?)")
        }
        return cursor.position..<(cursor.position + member.compressedSize)
    }

    /// The uncompressed content of `member`, CRC-checked.
    func extract(_ member: Member) throws(ArrayIOError) -> [UInt8] {
        guard member.flags & 1 == 0 else { throw error("'\(member.name)' is encrypted") }
        let range = try dataRange(of: member)
        let content: [UInt8]
        switch member.method {
        case 0:
            guard member.compressedSize == member.uncompressedSize else {
                throw error("stored member '\(member.name)' has different compressed and uncompressed sizes")
            }
            content = Array(bytes[range])
        case 8:
            // DEFLATE cannot expand more than ~1032:1; a larger declared size is corrupt, not a real file.
            guard member.uncompressedSize <= member.compressedSize * 1032 + 1024 else {
                throw error("'\(member.name)' declares an impossible size \(member.uncompressedSize) for \(member.compressedSize) compressed bytes")
            }
            let inflated: Result<[UInt8], CodecError> = bytes.withUnsafeBytes { raw in
                do throws(CodecError) {
                    return .success(try Inflate.decompress(UnsafeRawBufferPointer(rebasing: raw[range]),
                                                           expectedSize: member.uncompressedSize, limit: member.uncompressedSize).output)
                } catch {
                    return .failure(error)
                }
            }
            switch inflated {
            case .success(let output): content = output
            case .failure(let failure): throw error("cannot inflate '\(member.name)': \(failure.problem)")
            }
            guard content.count == member.uncompressedSize else {
                throw error("'\(member.name)' inflates to \(content.count) bytes, directory says \(member.uncompressedSize)")
            }
        default:
            throw error("'\(member.name)' uses unsupported compression method \(member.method)")
        }
        let crc = CRC32.checksum(content)
        guard crc == member.crc else {
            throw error("CRC mismatch in '\(member.name)' (stored \(hex(member.crc)), computed \(hex(crc)))")
        }
        return content
    }

    private func hex(_ value: UInt32) -> String { "0x" + String(value, radix: 16) }
}
