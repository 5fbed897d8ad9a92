/// An n-dimensional array (rank 0–5 in practice) of one `DType`, stored NCHW / row-major by
/// default: a storage handle owned by a backend, plus shape, strides and an element offset.
///
/// Only the owning backend touches the memory. Values enter through the explicit host
/// initialisers (`Tensor(shape:scalars:)`) and leave through explicit host reads
/// (`scalars()`, `scalar()`, `int64s()`): the only places where a device would synchronise.
///
/// A tensor may be *tracked* by a `Tape` (see `Tape`): ops on tracked tensors record how to
/// compute gradients; ops on untracked tensors record nothing.
public struct Tensor: @unchecked Sendable {
    /// The memory this tensor views. Only `storage.backend` reads or writes it.
    public internal(set) var storage: Storage
    /// Size of each dimension.
    public let shape: [Int]
    /// Distance in elements between neighbours along each dimension (0 for broadcast dimensions).
    public let strides: [Int]
    /// Element offset of the first element in `storage`.
    public let offset: Int
    /// Element type.
    public let dtype: DType
    /// The tape variable this tensor is, if it is tracked.
    var tracking: Tracking?

    /// A view of `storage` (used by backends and views; no autodiff tracking).
    public init(storage: Storage, shape: [Int], strides: [Int], offset: Int, dtype: DType) {
        precondition(shape.count == strides.count, "Tensor: shape \(shape) with strides \(strides)")
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative size in shape \(shape)")
        self.storage = storage; self.shape = shape; self.strides = strides; self.offset = offset; self.dtype = dtype
    }

    /// The backend that owns this tensor's memory.
    public var backend: any Backend { storage.backend }
    /// Number of dimensions.
    public var rank: Int { shape.count }
    /// Number of elements.
    public var count: Int { Shape.count(shape) }

    /// Whether the elements are laid out row-major without gaps (size-1 dimensions ignored).
    public var isContiguous: Bool {
        var expected = 1
        for d in stride(from: shape.count - 1, through: 0, by: -1) where shape[d] != 1 {
            if strides[d] != expected { return false }
            expected *= shape[d]
        }
        return true
    }

    /// Whether a tape records operations on this tensor.
    public var isTracked: Bool { tracking?.tape != nil }

    /// The same values without autodiff tracking (shares the storage).
    public func detached() -> Tensor {
        var copy = self
        copy.tracking = nil
        return copy
    }

    /// Size of dimension `axis` (negative counts from the end).
    public func size(_ axis: Int) -> Int { shape[Shape.axis(axis, rank: rank, op: "size")] }
}

// MARK: - Creating tensors from host values

extension Tensor {
    /// A float32 tensor from row-major `scalars` (count must equal the product of `shape`).
    public init(shape: [Int], scalars: [Float], on backend: any Backend = CPUBackend.shared) {
        precondition(scalars.count == Shape.count(shape), "Tensor(shape:scalars:): \(scalars.count) values for shape \(shape)")
        self = scalars.withUnsafeBytes { backend.upload($0, shape: shape, dtype: .float32) }
    }

    /// An int64 tensor from row-major values.
    public init(shape: [Int], int64s: [Int64], on backend: any Backend = CPUBackend.shared) {
        precondition(int64s.count == Shape.count(shape), "Tensor(shape:int64s:): \(int64s.count) values for shape \(shape)")
        self = int64s.withUnsafeBytes { backend.upload($0, shape: shape, dtype: .int64) }
    }

    /// An int32 tensor from row-major values.
    public init(shape: [Int], int32s: [Int32], on backend: any Backend = CPUBackend.shared) {
        precondition(int32s.count == Shape.count(shape), "Tensor(shape:int32s:): \(int32s.count) values for shape \(shape)")
        self = int32s.withUnsafeBytes { backend.upload($0, shape: shape, dtype: .int32) }
    }

    /// A bool tensor from row-major values.
    public init(shape: [Int], bools: [Bool], on backend: any Backend = CPUBackend.shared) {
        precondition(bools.count == Shape.count(shape), "Tensor(shape:bools:): \(bools.count) values for shape \(shape)")
        let bytes = bools.map { UInt8($0 ? 1 : 0) }
        self = bytes.withUnsafeBytes { backend.upload($0, shape: shape, dtype: .bool) }
    }

    /// A rank-0 float32 tensor.
    public init(_ scalar: Float, on backend: any Backend = CPUBackend.shared) {
        self.init(shape: [], scalars: [scalar], on: backend)
    }

    /// A tensor of `shape` filled with `value` (converted to `dtype`).
    public static func full(_ shape: [Int], _ value: Double, dtype: DType = .float32,
                            on backend: any Backend = CPUBackend.shared) -> Tensor {
        let t = backend.allocate(shape: shape, dtype: dtype)
        backend.fill(t, with: value)
        return t
    }

    /// A float32 (or `dtype`) tensor of zeros.
    public static func zeros(_ shape: [Int], dtype: DType = .float32, on backend: any Backend = CPUBackend.shared) -> Tensor {
        full(shape, 0, dtype: dtype, on: backend)
    }

    /// A float32 (or `dtype`) tensor of ones.
    public static func ones(_ shape: [Int], dtype: DType = .float32, on backend: any Backend = CPUBackend.shared) -> Tensor {
        full(shape, 1, dtype: dtype, on: backend)
    }

    /// Zeros with this tensor's shape, dtype and backend.
    public func zerosLike() -> Tensor { Tensor.zeros(shape, dtype: dtype, on: backend) }
    /// Ones with this tensor's shape, dtype and backend.
    public func onesLike() -> Tensor { Tensor.ones(shape, dtype: dtype, on: backend) }
}

// MARK: - Reading values on the host (explicit transfers)

extension Tensor {
    /// All float32 values in row-major order (a host transfer).
    public func scalars() -> [Float] {
        precondition(dtype == .float32, "scalars(): tensor is \(dtype); use int64s()/bools() or convert(to:)")
        return hostBytes().withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    /// The single float32 value of a one-element tensor (a host transfer).
    public func scalar() -> Float {
        precondition(count == 1, "scalar(): tensor of shape \(shape) has \(count) elements")
        return scalars()[0]
    }

    /// All int64 values (int32 and bool are widened) in row-major order.
    public func int64s() -> [Int64] {
        switch dtype {
        case .int64: return hostBytes().withUnsafeBytes { Array($0.bindMemory(to: Int64.self)) }
        case .int32: return hostBytes().withUnsafeBytes { $0.bindMemory(to: Int32.self).map { Int64($0) } }
        case .bool: return hostBytes().map { Int64($0) }
        case .float32: preconditionFailure("int64s(): tensor is float32; use scalars()")
        }
    }

    /// All bool values in row-major order.
    public func bools() -> [Bool] {
        precondition(dtype == .bool, "bools(): tensor is \(dtype)")
        return hostBytes().map { $0 != 0 }
    }

    /// Row-major little-endian bytes of the logical values (a host transfer).
    public func hostBytes() -> [UInt8] { backend.download(self) }
}

extension Tensor: CustomStringConvertible {
    public var description: String { "Tensor(\(dtype), shape \(shape)\(isTracked ? ", tracked" : ""))" }
}

// MARK: - Moving between backends (explicit transfers)

extension Tensor {
    /// The same values on `backend` (a copy through the host; self when already there).
    /// Untracked: moving happens at setup, outside any tape.
    public func moved(to backend: any Backend) -> Tensor {
        if self.backend === backend { return detached() }
        return hostBytes().withUnsafeBytes { backend.upload($0, shape: shape, dtype: dtype) }
    }
}
