import Foundation

extension TorchCheckpoint {
    /// Writes `value` in the zip format (`torch.save` default since 1.6) atomically. Every tensor gets
    /// its own contiguous storage, data aligned to 64 bytes like torch's writer.
    public static func write(_ value: CheckpointValue, to url: URL) throws(ArrayIOError) {
        let stem = url.deletingPathExtension().lastPathComponent
        let safe = stem.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-") }
        try FileBytes.write(try encode(value, archiveName: safe && !stem.isEmpty ? stem : "archive"), to: url)
    }

    /// The bytes of a zip-format checkpoint holding `value` (records under `archiveName/`).
    public static func encode(_ value: CheckpointValue, archiveName: String = "archive") throws(ArrayIOError) -> [UInt8] {
        var storages: [NDArray] = []
        let pickle = PickleWriter.encode(try pickleValue(value, storages: &storages, depth: 0), protocol: 2)
        var zip = ZipWriter(style: .torch(alignment: 64))
        let root = archiveName + "/"
        zip.add(name: root + "data.pkl", data: pickle)
        zip.add(name: root + ".format_version", data: Array("1".utf8))
        zip.add(name: root + ".storage_alignment", data: Array("64".utf8))
        zip.add(name: root + "byteorder", data: Array("little".utf8))
        for (index, array) in storages.enumerated() {
            zip.add(name: root + "data/\(index)", data: array.bytes)
        }
        zip.add(name: root + "version", data: Array("3\n".utf8))
        zip.add(name: root + ".data/serialization_id", data: Array(serializationID(pickle, storageCount: storages.count).utf8))
        return zip.finish()
    }

    /// A 40-digit id like torch's (it only has to differ between files; derived from the content here).
    private static func serializationID(_ pickle: [UInt8], storageCount: Int) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in pickle { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        let second = (hash ^ UInt64(storageCount)) &* 0x9E37_79B9_7F4A_7C15
        let digits = String(hash) + String(second)
        return String((digits + String(repeating: "0", count: 40)).prefix(40))
    }

    /// The pickle tree torch writes for `value`; tensors append their data to `storages`.
    private static func pickleValue(_ value: CheckpointValue, storages: inout [NDArray], depth: Int) throws(ArrayIOError) -> PickleValue {
        guard depth < 256 else { throw ArrayIOError(file: "<checkpoint>", "value nested too deeply to save") }
        func all(_ items: [CheckpointValue], _ storages: inout [NDArray]) throws(ArrayIOError) -> [PickleValue] {
            var result: [PickleValue] = []
            for item in items { result.append(try pickleValue(item, storages: &storages, depth: depth + 1)) }
            return result
        }
        func pairs(_ entries: [CheckpointEntry], _ storages: inout [NDArray]) throws(ArrayIOError) -> [PicklePair] {
            var result: [PicklePair] = []
            for entry in entries {
                switch entry.key {
                case .list, .dict, .orderedDict, .tensor:
                    throw ArrayIOError(file: "<checkpoint>", "a dict key must be a string, number, bool, None or tuple")
                default: break
                }
                result.append(PicklePair(try pickleValue(entry.key, storages: &storages, depth: depth + 1),
                                         try pickleValue(entry.value, storages: &storages, depth: depth + 1)))
            }
            return result
        }
        switch value {
        case .none: return .none
        case .bool(let flag): return .bool(flag)
        case .int(let integer): return .int(integer)
        case .bigInt(let bytes): return .bigInt(bytes)
        case .float(let double): return .float(double)
        case .string(let text): return .string(text)
        case .list(let items): return .list(try all(items, &storages))
        case .tuple(let items): return .tuple(try all(items, &storages))
        case .dict(let entries): return .dict(try pairs(entries, &storages))
        case .orderedDict(let entries):
            return .object(PickleObject(callable: orderedDict, arguments: [], dictItems: try pairs(entries, &storages)))
        case .tensor(let tensor):
            return tensorValue(tensor, storages: &storages)
        }
    }

    private static let orderedDict = PickleValue.global(module: "collections", name: "OrderedDict")
    private static let emptyHooks = PickleValue.object(PickleObject(callable: orderedDict, arguments: []))

    /// `_rebuild_tensor_v2(('storage', torch.FloatStorage, key, 'cpu', numel), 0, size, stride, requires_grad, OrderedDict())`,
    /// or `_rebuild_tensor_v3` with an `UntypedStorage` for types without a storage class (uint16);
    /// wrapped in `_rebuild_parameter(tensor, requires_grad, OrderedDict())` for a Parameter.
    private static func tensorValue(_ tensor: CheckpointTensor, storages: inout [NDArray]) -> PickleValue {
        let array = tensor.array
        let key = String(storages.count)
        storages.append(array)
        let shape = PickleValue.tuple(array.shape.map { .int($0) })
        let strides = PickleValue.tuple(StridedCopy.contiguousStrides(array.shape).map { .int($0) })
        let requiresGrad = PickleValue.bool(tensor.requiresGrad && !tensor.isParameter)
        var rebuilt: PickleValue
        if let storageClass = TorchTypes.storageClass(of: array.elementType) {
            let id = PickleValue.tuple([.string("storage"), .global(module: "torch", name: storageClass), .string(key),
                                        .string("cpu"), .int(array.count)])
            rebuilt = .object(PickleObject(callable: .global(module: "torch._utils", name: "_rebuild_tensor_v2"),
                                           arguments: [.persistentID(id), .int(0), shape, strides, requiresGrad, emptyHooks]))
        } else {
            let id = PickleValue.tuple([.string("storage"), .global(module: "torch.storage", name: "UntypedStorage"), .string(key),
                                        .string("cpu"), .int(array.bytes.count)])
            rebuilt = .object(PickleObject(
                callable: .global(module: "torch._utils", name: "_rebuild_tensor_v3"),
                arguments: [.persistentID(id), .int(0), shape, strides, requiresGrad, emptyHooks,
                            .global(module: "torch", name: TorchTypes.dtypeName(of: array.elementType))]))
        }
        if tensor.isParameter {
            rebuilt = .object(PickleObject(callable: .global(module: "torch._utils", name: "_rebuild_parameter"),
                                           arguments: [rebuilt, .bool(tensor.requiresGrad), emptyHooks]))
        }
        return rebuilt
    }
}
