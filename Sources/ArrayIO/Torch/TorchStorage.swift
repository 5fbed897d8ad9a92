/// What a PyTorch pickle says about one storage (its persistent id), and the storage type names.
struct StorageReference {
    var key: String
    /// Element type of a typed storage (`torch.FloatStorage` ...); nil for `torch.storage.UntypedStorage`.
    var elementType: ElementType?
    /// Elements (bytes for an untyped storage) the pickle declares.
    var declaredCount: Int
    /// Legacy view storages: (root key, element offset, element count) of the root this view is part of.
    var view: (rootKey: String, offset: Int, count: Int)?

    var elementSize: Int { elementType?.size ?? 1 }

    /// Parses `('storage', StorageType, key, location, numel[, view_metadata])`; every location loads to the CPU.
    init(_ id: PickleValue, file: String) throws(ArrayIOError) {
        func bad(_ problem: String) -> ArrayIOError { ArrayIOError(file: file, "checkpoint: bad storage reference: \(problem)") }
        guard case .tuple(let parts) = id, parts.count == 5 || parts.count == 6, parts[0] == .string("storage") else {
            throw bad("expected ('storage', type, key, location, numel)")
        }
        guard let typeName = parts[1].globalName, let type = TorchTypes.storageTypes[typeName] else {
            throw bad("unsupported storage type \(parts[1].globalName ?? "\(parts[1])")")
        }
        guard case .string(let key) = parts[2] else { throw bad("storage key is not a string") }
        guard case .string = parts[3] else { throw bad("storage location is not a string") }
        guard case .int(let count) = parts[4], count >= 0 else { throw bad("bad element count") }
        self.key = key
        self.elementType = type
        self.declaredCount = count
        if parts.count == 6, parts[5] != .none {
            guard case .tuple(let view) = parts[5], view.count == 3, case .string(let root) = view[0],
                  case .int(let offset) = view[1], case .int(let size) = view[2], offset >= 0, size >= 0 else {
                throw bad("bad view metadata")
            }
            self.view = (root, offset, size)
        }
    }
}

/// The globals a PyTorch checkpoint may name, and what they mean.
enum TorchTypes {
    static let storageClassTypes: [String: ElementType] = [
        "FloatStorage": .float32, "DoubleStorage": .float64, "HalfStorage": .float16, "LongStorage": .int64,
        "IntStorage": .int32, "ShortStorage": .int16, "CharStorage": .int8, "ByteStorage": .uint8, "BoolStorage": .bool,
    ]

    /// `torch.FloatStorage`, `torch.cuda.FloatStorage`, ... -> element type; `UntypedStorage` -> nil.
    static let storageTypes: [String: ElementType?] = {
        var table: [String: ElementType?] = ["torch.storage.UntypedStorage": Optional<ElementType>.none]
        for (name, type) in storageClassTypes {
            table["torch." + name] = .some(type)
            table["torch.cuda." + name] = .some(type)
        }
        return table
    }()

    /// `torch.float32` ... as `_rebuild_tensor_v3` names the dtype.
    static let dtypes: [String: ElementType] = [
        "torch.float32": .float32, "torch.float64": .float64, "torch.float16": .float16, "torch.int64": .int64,
        "torch.int32": .int32, "torch.int16": .int16, "torch.int8": .int8, "torch.uint8": .uint8,
        "torch.uint16": .uint16, "torch.bool": .bool,
    ]

    static let rebuildTensor: Set<String> = [
        "torch._utils._rebuild_tensor", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor_v3",
    ]
    static let rebuildParameter: Set<String> = [
        "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state",
    ]

    /// Everything a checkpoint pickle may reference; anything else is refused while parsing.
    static let allowedGlobals: Set<String> = {
        var names: Set<String> = ["collections.OrderedDict", "torch.Size"]
        names.formUnion(rebuildTensor)
        names.formUnion(rebuildParameter)
        names.formUnion(storageTypes.keys)
        names.formUnion(dtypes.keys)
        return names
    }()

    /// The storage class a writer names for `type` (uint16 has none: it goes through `UntypedStorage`).
    static func storageClass(of type: ElementType) -> String? {
        storageClassTypes.first { $0.value == type }.map { $0.key }
    }

    static func dtypeName(of type: ElementType) -> String {
        dtypes.first { $0.value == type }!.key.dropFirst("torch.".count).description
    }
}
