/// The element bytes of one storage: `buffer[range]` (a slice of the file when stored uncompressed).
struct StorageBytes {
    var buffer: [UInt8]
    var range: Range<Int>
}

/// Turns the data-only pickle tree of a checkpoint into `CheckpointValue`s: interprets the
/// allow-listed rebuild functions (`_rebuild_tensor_v2`, `_rebuild_parameter`, `OrderedDict`, ...) and
/// materialises each tensor (offset, strides) from its storage into contiguous row-major bytes.
struct TorchUnpickler {
    let file: String
    /// The storage bytes are big-endian (a checkpoint saved on a big-endian machine).
    let bigEndian: Bool
    /// Finds the bytes of a storage (zip member or legacy raw block).
    let load: (StorageReference) throws(ArrayIOError) -> StorageBytes
    private var cache: [String: StorageBytes] = [:]

    init(file: String, bigEndian: Bool, load: @escaping (StorageReference) throws(ArrayIOError) -> StorageBytes) {
        self.file = file
        self.bigEndian = bigEndian
        self.load = load
    }

    private func error(_ problem: String) -> ArrayIOError { ArrayIOError(file: file, "checkpoint: \(problem)") }

    mutating func convert(_ value: PickleValue) throws(ArrayIOError) -> CheckpointValue {
        switch value {
        case .none: return .none
        case .bool(let flag): return .bool(flag)
        case .int(let integer): return .int(integer)
        case .bigInt(let bytes): return .bigInt(bytes)
        case .float(let double): return .float(double)
        case .string(let text): return .string(text)
        case .tuple(let items): return .tuple(try convertAll(items))
        case .list(let items): return .list(try convertAll(items))
        case .dict(let pairs): return .dict(try convertPairs(pairs))
        case .object(let object): return try convertObject(object)
        case .bytes: throw error("raw bytes values are not supported")
        case .set: throw error("sets are not supported")
        case .global(let module, let name): throw error("bare reference to \(module).\(name) is not a value")
        case .persistentID: throw error("storage reference outside a tensor")
        }
    }

    private mutating func convertAll(_ items: [PickleValue]) throws(ArrayIOError) -> [CheckpointValue] {
        var result: [CheckpointValue] = []
        result.reserveCapacity(items.count)
        for item in items { result.append(try convert(item)) }
        return result
    }

    private mutating func convertPairs(_ pairs: [PicklePair]) throws(ArrayIOError) -> [CheckpointEntry] {
        var result: [CheckpointEntry] = []
        result.reserveCapacity(pairs.count)
        for pair in pairs { result.append(CheckpointEntry(try convert(pair.key), try convert(pair.value))) }
        return result
    }

    private mutating func convertObject(_ object: PickleObject) throws(ArrayIOError) -> CheckpointValue {
        let name = object.callableName ?? "<not a global>"
        guard object.listItems.isEmpty, name == "collections.OrderedDict" || object.dictItems.isEmpty else {
            throw error("unexpected items added to \(name)")
        }
        if name == "collections.OrderedDict" {
            // OrderedDict() then SETITEMS; its BUILD state (e.g. `_metadata` of a state_dict) holds attributes only.
            var entries: [CheckpointEntry] = []
            if let first = object.arguments.first {
                guard object.arguments.count == 1, case .list(let pairs) = first else { throw error("bad OrderedDict arguments") }
                for pair in pairs {
                    // Python 3 pickles (key, value) tuples here, Python 2 [key, value] lists.
                    switch pair {
                    case .tuple(let kv) where kv.count == 2, .list(let kv) where kv.count == 2:
                        entries.append(CheckpointEntry(try convert(kv[0]), try convert(kv[1])))
                    default:
                        throw error("bad OrderedDict item")
                    }
                }
            }
            entries += try convertPairs(object.dictItems)
            return .orderedDict(entries)
        }
        guard object.state == nil else { throw error("unexpected state for \(name)") }
        if TorchTypes.rebuildTensor.contains(name) {
            return .tensor(try rebuildTensor(object.arguments, v3: name.hasSuffix("_v3")))
        }
        if TorchTypes.rebuildParameter.contains(name) {
            guard object.arguments.count >= 2, case .bool(let requiresGrad) = object.arguments[1] else {
                throw error("bad \(name) arguments")
            }
            guard case .tensor(var tensor) = try convert(object.arguments[0]) else { throw error("\(name) of something not a tensor") }
            tensor.requiresGrad = requiresGrad
            tensor.isParameter = true
            return .tensor(tensor)
        }
        if name == "torch.Size" {
            guard object.arguments.count == 1, case .tuple(let dims) = object.arguments[0] else { throw error("bad torch.Size") }
            return .tuple(try convertAll(dims))
        }
        throw error("\(name)(...) is not a value a checkpoint may hold")
    }

    /// `_rebuild_tensor[_v2|_v3](storage, offset, size, stride[, requires_grad, hooks[, dtype]][, metadata])`.
    private mutating func rebuildTensor(_ arguments: [PickleValue], v3: Bool) throws(ArrayIOError) -> CheckpointTensor {
        guard arguments.count >= (v3 ? 7 : 4), case .persistentID(let id) = arguments[0],
              case .int(let offset) = arguments[1], offset >= 0 else {
            throw error("bad tensor rebuild arguments")
        }
        let shape = try integers(arguments[2], what: "size")
        let strides = try integers(arguments[3], what: "stride")
        var requiresGrad = false
        if arguments.count >= 5 {
            guard case .bool(let flag) = arguments[4] else { throw error("bad requires_grad") }
            requiresGrad = flag
        }
        let reference = try StorageReference(id, file: file)
        var type: ElementType
        if v3 {
            guard let dtype = arguments[6].globalName.flatMap({ TorchTypes.dtypes[$0] }) else { throw error("unsupported tensor dtype") }
            type = dtype
        } else {
            guard let storageType = reference.elementType else { throw error("untyped storage without a dtype") }
            type = storageType
        }
        if let storageType = reference.elementType, storageType != type { throw error("dtype differs from its storage type") }
        guard shape.count == strides.count else { throw error("size \(shape) and stride \(strides) differ in rank") }
        var total = 1
        for dim in shape {
            let (product, overflow) = total.multipliedReportingOverflow(by: dim)
            guard !overflow, product <= NPYHeader.maximumElements else { throw error("absurd tensor size \(shape)") }
            total = product
        }
        let storage = try storageBytes(reference)
        let available = storage.range.count / type.size
        guard let needed = StridedCopy.requiredElements(offset: offset, shape: shape, strides: strides), needed <= available else {
            throw error("storage '\(reference.key)' holds \(available) elements, too few for a tensor of size \(shape), stride \(strides), offset \(offset)")
        }
        var bytes = storage.buffer.withUnsafeBytes { raw in
            StridedCopy.gather(UnsafeRawBufferPointer(rebasing: raw[storage.range]), elementSize: type.size,
                               offset: offset, shape: shape, strides: strides)
        }
        if bigEndian { StridedCopy.swapByteOrder(&bytes, elementSize: type.size) }
        return CheckpointTensor(NDArray(elementType: type, shape: shape, bytes: bytes), requiresGrad: requiresGrad)
    }

    private func integers(_ value: PickleValue, what: String) throws(ArrayIOError) -> [Int] {
        var items: [PickleValue]
        switch value {
        case .tuple(let tuple): items = tuple
        case .object(let object) where object.callableName == "torch.Size" && object.arguments.count == 1:
            guard case .tuple(let tuple) = object.arguments[0] else { throw error("bad tensor \(what)") }
            items = tuple
        default: throw error("bad tensor \(what)")
        }
        var result: [Int] = []
        for item in items {
            guard case .int(let integer) = item, integer >= 0 else { throw error("bad tensor \(what) \(items)") }
            result.append(integer)
        }
        return result
    }

    /// The storage's bytes (a legacy view storage is a window on its root), cached per key.
    private mutating func storageBytes(_ reference: StorageReference) throws(ArrayIOError) -> StorageBytes {
        let cacheKey = reference.view?.rootKey ?? reference.key
        var storage: StorageBytes
        if let cached = cache[cacheKey] {
            storage = cached
        } else {
            var root = reference
            if let view = reference.view { root.key = view.rootKey }
            storage = try load(root)
            cache[cacheKey] = storage
        }
        if let view = reference.view {
            let size = reference.elementSize
            guard view.offset <= storage.range.count / size, view.count <= storage.range.count / size - view.offset else {
                throw error("view of storage '\(view.rootKey)' out of range")
            }
            let lower = storage.range.lowerBound + view.offset * size
            storage.range = lower..<(lower + view.count * size)
        }
        return storage
    }
}
