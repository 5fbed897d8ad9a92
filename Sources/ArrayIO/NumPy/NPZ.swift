import Foundation

/// One array of an `.npz` archive: a numeric array, or an object array (`|O`) of numeric arrays,
/// the form of ragged ground truth (`gt_depths.npz` whose maps differ in size).
public enum NPZEntry: Sendable, Equatable {
    case array(NDArray)
    case objects([NDArray])

    /// The numeric array, or nil for an object array.
    public var array: NDArray? {
        if case .array(let array) = self { return array }
        return nil
    }

    /// The arrays of an object array; a numeric array is split along its first axis
    /// (what `for map in gt_depths` gives in Python for a stacked float32 array).
    public func arrays() -> [NDArray] {
        switch self {
        case .objects(let arrays): return arrays
        case .array(let array):
            guard let first = array.shape.first else { return [array] }
            let rest = Array(array.shape.dropFirst())
            let size = rest.reduce(1, *) * array.elementType.size
            return (0..<first).map { index in
                NDArray(elementType: array.elementType, shape: rest, bytes: Array(array.bytes[(index * size)..<((index + 1) * size)]))
            }
        }
    }
}

/// NumPy `.npz` archives (`np.savez` / `np.savez_compressed`): a zip of `KEY.npy` members.
public enum NPZ {
    /// Reads every `.npy` member; keys are member names without `.npy`.
    public static func read(contentsOf url: URL) throws(ArrayIOError) -> [String: NPZEntry] {
        var result: [String: NPZEntry] = [:]
        for (key, entry) in try decode(try FileBytes.read(contentsOf: url), file: url.path) { result[key] = entry }
        return result
    }

    /// Reads every `.npy` member, in archive order.
    public static func readOrdered(contentsOf url: URL) throws(ArrayIOError) -> [(key: String, entry: NPZEntry)] {
        try decode(try FileBytes.read(contentsOf: url), file: url.path)
    }

    /// Parses `.npz` bytes; members not named `*.npy` are skipped (NumPy does not load them as arrays).
    public static func decode(_ bytes: [UInt8], file: String = "<memory>") throws(ArrayIOError) -> [(key: String, entry: NPZEntry)] {
        let zip = try ZipReader(bytes, file: file)
        var result: [(key: String, entry: NPZEntry)] = []
        for member in zip.members where member.name.hasSuffix(".npy") {
            let key = String(member.name.dropLast(4))
            guard !result.contains(where: { $0.key == key }) else { throw ArrayIOError(file: file, "duplicate member '\(member.name)'") }
            let content = try zip.extract(member)
            result.append((key, try NPY.decodeEntry(content, file: "\(file) [\(member.name)]")))
        }
        return result
    }

    /// Writes an archive atomically: `compressed` = `np.savez_compressed` (DEFLATE), else `np.savez` (STORED).
    public static func write(_ entries: [(String, NPZEntry)], to url: URL, compressed: Bool) throws(ArrayIOError) {
        try FileBytes.write(try encode(entries, compressed: compressed), to: url)
    }

    /// The bytes of an archive holding `entries` as `KEY.npy` members, in order.
    public static func encode(_ entries: [(String, NPZEntry)], compressed: Bool) throws(ArrayIOError) -> [UInt8] {
        var zip = ZipWriter(style: .numpy)
        var seen = Set<String>()
        for (key, entry) in entries {
            guard !key.isEmpty, seen.insert(key).inserted else { throw ArrayIOError(file: "<npz>", "empty or duplicate key '\(key)'") }
            let content: [UInt8]
            switch entry {
            case .array(let array): content = NPY.encode(array)
            case .objects(let arrays): content = NPY.encode(objects: arrays)
            }
            zip.add(name: key + ".npy", data: content, compress: compressed)
        }
        return zip.finish()
    }
}
