/// A Python value as a data-only pickle describes it. Nothing is imported or called: a `REDUCE`,
/// `NEWOBJ` or `BUILD` becomes an `.object` recording the callable (usually a `.global`), its
/// arguments and the state, for the consumer (NumPy object arrays, PyTorch checkpoints) to interpret
/// against its own allow-list.
public indirect enum PickleValue: Sendable, Equatable {
    case none
    case bool(Bool)
    /// An integer that fits in 64 bits.
    case int(Int)
    /// An integer beyond 64 bits: little-endian two's-complement bytes, as `LONG1`/`LONG4` carry it.
    case bigInt([UInt8])
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case tuple([PickleValue])
    case list([PickleValue])
    /// A dict, in insertion order.
    case dict([PicklePair])
    /// A set or frozenset, in pickle order.
    case set([PickleValue])
    /// A module attribute named by `GLOBAL` / `STACK_GLOBAL` (a class or function; never resolved).
    case global(module: String, name: String)
    /// The result of calling something: `callable(*arguments)` plus what was applied to it afterwards.
    case object(PickleObject)
    /// A `BINPERSID` / `PERSID` reference (PyTorch storages) with the pickled id.
    case persistentID(PickleValue)

    /// The `module.name` of a `.global`, else nil.
    public var globalName: String? {
        if case .global(let module, let name) = self { return module + "." + name }
        return nil
    }
}

/// One key/value pair of a pickled dict.
public struct PicklePair: Sendable, Equatable {
    public var key: PickleValue
    public var value: PickleValue

    public init(_ key: PickleValue, _ value: PickleValue) {
        self.key = key
        self.value = value
    }
}

/// An object built by `REDUCE` (`callable(*arguments)`) or `NEWOBJ` (`cls.__new__(cls, *arguments)`),
/// with the `BUILD` state and the items `SETITEM(S)` / `APPEND(S)` added to it (an `OrderedDict`
/// receives its entries that way).
public struct PickleObject: Sendable, Equatable {
    public var callable: PickleValue
    public var arguments: [PickleValue]
    public var isNewObject: Bool
    public var state: PickleValue?
    public var dictItems: [PicklePair]
    public var listItems: [PickleValue]

    public init(callable: PickleValue, arguments: [PickleValue], isNewObject: Bool = false, state: PickleValue? = nil,
                dictItems: [PicklePair] = [], listItems: [PickleValue] = []) {
        self.callable = callable
        self.arguments = arguments
        self.isNewObject = isNewObject
        self.state = state
        self.dictItems = dictItems
        self.listItems = listItems
    }

    /// `module.name` of the callable when it is a global.
    public var callableName: String? { callable.globalName }
}
