/// A tensor as a PyTorch checkpoint stores it: the logical values (materialised row-major, whatever
/// the saved offset and strides were), plus the flags `torch.load` restores.
public struct CheckpointTensor: Sendable, Equatable {
    public var array: NDArray
    public var requiresGrad: Bool
    /// Saved as an `nn.Parameter` (`torch._utils._rebuild_parameter`).
    public var isParameter: Bool

    public init(_ array: NDArray, requiresGrad: Bool = false, isParameter: Bool = false) {
        self.array = array
        self.requiresGrad = requiresGrad
        self.isParameter = isParameter
    }
}

/// One key/value pair of a checkpoint dict (keys are usually strings; optimizer state uses ints).
public struct CheckpointEntry: Sendable, Equatable {
    public var key: CheckpointValue
    public var value: CheckpointValue

    public init(_ key: CheckpointValue, _ value: CheckpointValue) {
        self.key = key
        self.value = value
    }

    public init(_ key: String, _ value: CheckpointValue) { self.init(.string(key), value) }
}

/// The Python object tree of a `torch.save` file, restricted to what checkpoints hold:
/// tensors, numbers, strings, None, and tuples / lists / dicts / OrderedDicts of those.
public indirect enum CheckpointValue: Sendable, Equatable {
    case tensor(CheckpointTensor)
    case int(Int)
    /// A Python int beyond 64 bits (little-endian two's complement).
    case bigInt([UInt8])
    case float(Double)
    case bool(Bool)
    case string(String)
    case none
    case list([CheckpointValue])
    case tuple([CheckpointValue])
    /// A plain `dict`, in insertion order.
    case dict([CheckpointEntry])
    /// A `collections.OrderedDict` (what `state_dict()` returns).
    case orderedDict([CheckpointEntry])

    /// A plain (not Parameter, no grad) tensor value.
    public static func array(_ array: NDArray) -> CheckpointValue { .tensor(CheckpointTensor(array)) }

    /// The tensor's values, if this is a tensor.
    public var array: NDArray? {
        if case .tensor(let tensor) = self { return tensor.array }
        return nil
    }

    /// The entries of a dict or OrderedDict.
    public var entries: [CheckpointEntry]? {
        switch self {
        case .dict(let entries), .orderedDict(let entries): return entries
        default: return nil
        }
    }

    /// The items of a list or tuple.
    public var items: [CheckpointValue]? {
        switch self {
        case .list(let items), .tuple(let items): return items
        default: return nil
        }
    }

    /// The value stored under `key` in a dict or OrderedDict.
    public subscript(key: CheckpointValue) -> CheckpointValue? {
        entries?.first { $0.key == key }?.value
    }

    /// The value stored under the string `key` in a dict or OrderedDict.
    public subscript(key: String) -> CheckpointValue? { self[.string(key)] }

    public var intValue: Int? {
        if case .int(let value) = self { return value }
        return nil
    }

    /// A float, or an int converted to Double.
    public var doubleValue: Double? {
        switch self {
        case .float(let value): return value
        case .int(let value): return Double(value)
        default: return nil
        }
    }

    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }
}
