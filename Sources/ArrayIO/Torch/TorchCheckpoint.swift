import Codecs
import Foundation

/// PyTorch `torch.save` files: reads both formats (legacy, as torch < 1.6 and the released Monodepth2
/// models wrote them, and zip), writes the zip format that `torch.load(path, weights_only=True)` reads.
/// GPU-saved files (`torch.cuda.*Storage`, location `cuda:0`) load to the CPU.
public enum TorchCheckpoint {
    /// Reads a checkpoint file.
    public static func read(contentsOf url: URL) throws(ArrayIOError) -> CheckpointValue {
        try decode(try FileBytes.read(contentsOf: url), file: url.path)
    }

    /// Parses checkpoint bytes of either format. `file` only names the source in errors.
    public static func decode(_ bytes: [UInt8], file: String = "<memory>") throws(ArrayIOError) -> CheckpointValue {
        if bytes.count >= 4, bytes[0] == 0x50, bytes[1] == 0x4B, bytes[2] == 3, bytes[3] == 4 {
            return try decodeZip(bytes, file: file)
        }
        if bytes.count >= 2, bytes[0] == 0x80 {
            return try decodeLegacy(bytes, file: file)
        }
        if bytes.count > 262, Array(bytes[257..<262]) == Array("ustar".utf8) {
            throw ArrayIOError(file: file, "tar-based PyTorch checkpoint (torch < 0.1.10) is not supported")
        }
        throw ArrayIOError(file: file, "not a PyTorch checkpoint (neither a zip archive nor a legacy pickle stream)")
    }

    /// The magic number opening a legacy checkpoint: 0x1950a86a20f9469cfc6c, little-endian.
    static let legacyMagic: [UInt8] = [0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19]

    /// Legacy format: pickles of magic, protocol 1001, sys info, the object, the storage keys; then per
    /// key an int64 element count and the raw little-endian elements.
    static func decodeLegacy(_ bytes: [UInt8], file: String) throws(ArrayIOError) -> CheckpointValue {
        let (magic, afterMagic) = try PickleReader.parse(bytes, at: 0, file: file, allowedGlobals: [])
        guard magic == .bigInt(legacyMagic) else { throw ArrayIOError(file: file, "not a PyTorch checkpoint (bad legacy magic number)") }
        let (version, afterVersion) = try PickleReader.parse(bytes, at: afterMagic, file: file, allowedGlobals: [])
        guard version == .int(1001) else { throw ArrayIOError(file: file, "unsupported legacy checkpoint protocol \(version)") }
        let (sysInfo, afterInfo) = try PickleReader.parse(bytes, at: afterVersion, file: file, allowedGlobals: [])
        var bigEndian = false
        if case .dict(let pairs) = sysInfo, let flag = pairs.first(where: { $0.key == .string("little_endian") })?.value {
            bigEndian = flag == .bool(false)
        }
        let (object, afterObject) = try PickleReader.parse(bytes, at: afterInfo, file: file, allowedGlobals: TorchTypes.allowedGlobals)
        let (keyList, afterKeys) = try PickleReader.parse(bytes, at: afterObject, file: file, allowedGlobals: [])
        guard case .list(let keyValues) = keyList else { throw ArrayIOError(file: file, "checkpoint: storage key list missing") }

        var elementSizes: [String: Int] = [:]
        try collectStorages(object, into: &elementSizes, file: file, depth: 0)
        var storages: [String: StorageBytes] = [:]
        var cursor = ByteCursor(bytes, at: afterKeys, file: file, context: "checkpoint storage data")
        for keyValue in keyValues {
            guard case .string(let key) = keyValue else { throw ArrayIOError(file: file, "checkpoint: storage key is not a string") }
            guard let size = elementSizes[key] else { throw ArrayIOError(file: file, "checkpoint: storage '\(key)' is not used by any tensor") }
            guard cursor.remaining >= 8 else {
                throw ArrayIOError(file: file, "checkpoint: storage '\(key)' runs past the end of the file (truncated?)")
            }
            let count = try cursor.u64()
            let (byteCount, overflow) = Int(clamping: count).multipliedReportingOverflow(by: size)
            guard count <= UInt64(Int.max), !overflow, byteCount <= cursor.remaining else {
                throw ArrayIOError(file: file, "checkpoint: storage '\(key)' (\(count) elements) runs past the end of the file (truncated?)")
            }
            storages[key] = StorageBytes(buffer: bytes, range: cursor.position..<(cursor.position + byteCount))
            cursor.position += byteCount
        }
        var unpickler = TorchUnpickler(file: file, bigEndian: bigEndian) { reference throws(ArrayIOError) in
            guard let storage = storages[reference.key] else {
                throw ArrayIOError(file: file, "checkpoint: storage '\(reference.key)' missing from the storage list")
            }
            return storage
        }
        return try unpickler.convert(object)
    }

    /// Records the element size of every storage a persistent id names.
    private static func collectStorages(_ value: PickleValue, into sizes: inout [String: Int], file: String, depth: Int) throws(ArrayIOError) {
        switch value {
        case .persistentID(let id):
            let reference = try StorageReference(id, file: file)
            let key = reference.view?.rootKey ?? reference.key
            if let known = sizes[key], known != reference.elementSize {
                throw ArrayIOError(file: file, "checkpoint: storage '\(key)' used with two element sizes")
            }
            sizes[key] = reference.elementSize
        case .tuple(let items), .list(let items), .set(let items):
            for item in items { try collectStorages(item, into: &sizes, file: file, depth: depth + 1) }
        case .dict(let pairs):
            for pair in pairs {
                try collectStorages(pair.key, into: &sizes, file: file, depth: depth + 1)
                try collectStorages(pair.value, into: &sizes, file: file, depth: depth + 1)
            }
        case .object(let object):
            try collectStorages(object.callable, into: &sizes, file: file, depth: depth + 1)
            for item in object.arguments + object.listItems { try collectStorages(item, into: &sizes, file: file, depth: depth + 1) }
            for pair in object.dictItems {
                try collectStorages(pair.key, into: &sizes, file: file, depth: depth + 1)
                try collectStorages(pair.value, into: &sizes, file: file, depth: depth + 1)
            }
            if let state = object.state { try collectStorages(state, into: &sizes, file: file, depth: depth + 1) }
        default:
            break
        }
    }

    /// Zip format: `<root>/data.pkl` (the object), `<root>/data/<key>` (raw storages), `<root>/byteorder`.
    static func decodeZip(_ bytes: [UInt8], file: String) throws(ArrayIOError) -> CheckpointValue {
        let zip = try ZipReader(bytes, file: file)
        guard let pickle = zip.members.filter({ $0.name == "data.pkl" || $0.name.hasSuffix("/data.pkl") })
            .min(by: { $0.name.count < $1.name.count }) else {
            throw ArrayIOError(file: file, "checkpoint: zip archive has no data.pkl (not a torch.save file)")
        }
        let root = String(pickle.name.dropLast("data.pkl".count))
        var bigEndian = false
        if let order = zip.member(named: root + "byteorder") {
            switch String(decoding: try zip.extract(order), as: UTF8.self) {
            case "little": bigEndian = false
            case "big": bigEndian = true
            case let other: throw ArrayIOError(file: file, "checkpoint: unknown byteorder '\(other.prefix(20))'")
            }
        }
        let (object, _) = try PickleReader.parse(try zip.extract(pickle), file: file, allowedGlobals: TorchTypes.allowedGlobals)
        var unpickler = TorchUnpickler(file: file, bigEndian: bigEndian) { reference throws(ArrayIOError) in
            guard let member = zip.member(named: root + "data/" + reference.key) else {
                throw ArrayIOError(file: file, "checkpoint: storage member '\(root)data/\(reference.key)' missing")
            }
            if member.method == 0 {
                // Stored (always, as torch writes it): verify the CRC, then read in place, no copy.
                let range = try zip.dataRange(of: member)
                guard member.uncompressedSize == range.count else {
                    throw ArrayIOError(file: file, "zip: stored member '\(member.name)' has different compressed and uncompressed sizes")
                }
                let crc = bytes.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[range])) }
                guard crc == member.crc else { throw ArrayIOError(file: file, "zip: CRC mismatch in '\(member.name)'") }
                return StorageBytes(buffer: bytes, range: range)
            }
            let content = try zip.extract(member)
            return StorageBytes(buffer: content, range: 0..<content.count)
        }
        return try unpickler.convert(object)
    }
}
