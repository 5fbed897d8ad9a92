import Kernels

/// The CPU implementation of `Backend`: memory from a caching allocator, compute in `Kernels`.
/// The op-family methods live in the `CPUBackend+*.swift` files. This file and those are the
/// only places that turn a tensor into a pointer.
public final class CPUBackend: Backend, @unchecked Sendable {
    /// The default CPU backend (its only state is the buffer cache, guarded by a lock).
    public static let shared = CPUBackend()

    let allocator: CPUAllocator

    /// A CPU backend whose buffer cache keeps at most `cacheLimitBytes` of freed memory.
    public init(cacheLimitBytes: Int = 6 << 30) {
        allocator = CPUAllocator(cacheLimit: cacheLimitBytes)
    }

    public var name: String { "cpu" }

    /// Live, peak and cached bytes of this backend's allocator.
    public var memoryStatistics: MemoryStatistics { allocator.statistics }
    /// Starts a new peak measurement at the current live size.
    public func resetPeakMemory() { allocator.resetPeak() }
    /// Returns all cached buffers to the system.
    public func emptyCache() { allocator.emptyCache() }

    // MARK: Pointer access (CPU backend files only)

    @inline(__always)
    package func raw(_ t: Tensor) -> UnsafeMutableRawPointer {
        precondition(t.storage.backend === self, "cpu: tensor belongs to backend \(t.storage.backend.name)")
        return unsafeDowncast(t.storage, to: CPUStorage.self).pointer
    }

    /// Float pointer to element 0 of `t` (valid while `t`'s storage is alive).
    @inline(__always)
    package func floats(_ t: Tensor) -> UnsafeMutablePointer<Float> {
        precondition(t.dtype == .float32, "cpu: expected float32, got \(t.dtype) \(t.shape)")
        return raw(t).bindMemory(to: Float.self, capacity: t.storage.byteCount / 4) + t.offset
    }

    @inline(__always)
    func typed<T>(_ t: Tensor, _ type: T.Type) -> UnsafeMutablePointer<T> {
        precondition(MemoryLayout<T>.stride == t.dtype.byteSize, "cpu: \(T.self) does not match \(t.dtype)")
        return raw(t).bindMemory(to: T.self, capacity: t.storage.byteCount / t.dtype.byteSize) + t.offset
    }

    /// `t` itself when contiguous, else a contiguous copy.
    package func contiguous(_ t: Tensor) -> Tensor {
        if t.isContiguous { return t.detached() }
        let out = allocate(shape: t.shape, dtype: t.dtype)
        copy(t, into: out)
        return out
    }

    /// A contiguous float32 tensor for reading plus its pointer.
    package func input(_ t: Tensor) -> (Tensor, UnsafeMutablePointer<Float>) {
        let c = contiguous(t)
        return (c, floats(c))
    }

    /// A fresh float32 output and its pointer.
    package func output(_ shape: [Int]) -> (Tensor, UnsafeMutablePointer<Float>) {
        let t = allocate(shape: shape, dtype: .float32)
        return (t, floats(t))
    }

    // MARK: Memory and host transfers

    public func allocate(shape: [Int], dtype: DType) -> Tensor {
        let storage = CPUStorage(backend: self, byteCount: max(Shape.count(shape), 1) * dtype.byteSize)
        return Tensor(storage: storage, shape: shape, strides: Shape.contiguousStrides(shape), offset: 0, dtype: dtype)
    }

    public func upload(_ bytes: UnsafeRawBufferPointer, shape: [Int], dtype: DType) -> Tensor {
        precondition(bytes.count == Shape.count(shape) * dtype.byteSize, "upload: \(bytes.count) bytes for \(dtype) \(shape)")
        let t = allocate(shape: shape, dtype: dtype)
        if let base = bytes.baseAddress, bytes.count > 0 { raw(t).copyMemory(from: base, byteCount: bytes.count) }
        return t
    }

    public func hostBuffer(byteCount: Int) -> HostBuffer {
        let storage = CPUStorage(backend: self, byteCount: max(byteCount, 1))
        return HostBuffer(pointer: storage.pointer, byteCount: byteCount, owner: storage)
    }

    /// The buffer's storage becomes the tensor's: nothing is copied.
    public func tensor(from buffer: HostBuffer, shape: [Int], dtype: DType) -> Tensor {
        let bytes = Shape.count(shape) * dtype.byteSize
        precondition(bytes <= buffer.byteCount, "tensor(from:): \(dtype) \(shape) needs \(bytes) bytes, the buffer has \(buffer.byteCount)")
        guard let storage = buffer.owner as? CPUStorage, storage.backend === self else {
            return upload(UnsafeRawBufferPointer(start: buffer.pointer, count: bytes), shape: shape, dtype: dtype)
        }
        return Tensor(storage: storage, shape: shape, strides: Shape.contiguousStrides(shape), offset: 0, dtype: dtype)
    }

    public func download(_ tensor: Tensor) -> [UInt8] {
        let c = contiguous(tensor)
        let n = c.count * c.dtype.byteSize
        return withExtendedLifetime(c) {
            Array(UnsafeRawBufferPointer(start: raw(c) + c.offset * c.dtype.byteSize, count: n))
        }
    }

    public func fill(_ tensor: Tensor, with value: Double) {
        withExtendedLifetime(tensor) {
            switch tensor.dtype {
            case .float32: fillView(tensor, typed(tensor, Float.self), Float(value))
            case .int32: fillView(tensor, typed(tensor, Int32.self), Int32(value))
            case .int64: fillView(tensor, typed(tensor, Int64.self), Int64(value))
            case .bool: fillView(tensor, typed(tensor, UInt8.self), value != 0 ? 1 : 0)
            }
        }
    }

    private func fillView<T>(_ t: Tensor, _ p: UnsafeMutablePointer<T>, _ v: T) {
        if t.isContiguous { Kernels.fill(p, count: t.count, value: v); return }
        var one = v
        withUnsafePointer(to: &one) { src in
            stridedCopy(shape: t.shape, src: src, srcStrides: [Int](repeating: 0, count: t.rank), dst: p, dstStrides: t.strides)
        }
    }

    public func copy(_ source: Tensor, into destination: Tensor) {
        precondition(source.shape == destination.shape && source.dtype == destination.dtype,
                     "copy: \(source.dtype) \(source.shape) into \(destination.dtype) \(destination.shape)")
        if source.count == 0 { return }
        withExtendedLifetime((source, destination)) {
            switch source.dtype.byteSize {
            case 1: stridedCopy(shape: source.shape, src: typed(source, UInt8.self), srcStrides: source.strides,
                                dst: typed(destination, UInt8.self), dstStrides: destination.strides)
            case 4: stridedCopy(shape: source.shape, src: raw(source).bindMemory(to: UInt32.self, capacity: 1) + source.offset,
                                srcStrides: source.strides,
                                dst: raw(destination).bindMemory(to: UInt32.self, capacity: 1) + destination.offset,
                                dstStrides: destination.strides)
            default: stridedCopy(shape: source.shape, src: typed(source, Int64.self), srcStrides: source.strides,
                                 dst: typed(destination, Int64.self), dstStrides: destination.strides)
            }
        }
    }

    public func convert(_ tensor: Tensor, to dtype: DType) -> Tensor {
        if tensor.dtype == dtype { return contiguous(tensor) }
        let out = allocate(shape: tensor.shape, dtype: dtype)
        withExtendedLifetime((tensor, out)) {
            let s = tensor.shape, st = tensor.strides
            switch (tensor.dtype, dtype) {
            case (.float32, .int64): convertFromFloat(shape: s, src: floats(tensor), srcStrides: st, dst: typed(out, Int64.self))
            case (.float32, .int32): convertFromFloat(shape: s, src: floats(tensor), srcStrides: st, dst: typed(out, Int32.self))
            case (.float32, .bool):
                let src = floats(tensor), dst = typed(out, UInt8.self)
                forEachStrided(shape: s, strides: st) { i, o in dst[i] = src[o] != 0 ? 1 : 0 }
            case (.int64, .float32): convertToFloat(shape: s, src: typed(tensor, Int64.self), srcStrides: st, dst: floats(out))
            case (.int32, .float32): convertToFloat(shape: s, src: typed(tensor, Int32.self), srcStrides: st, dst: floats(out))
            case (.bool, .float32): convertToFloat(shape: s, src: typed(tensor, UInt8.self), srcStrides: st, dst: floats(out))
            case (.int32, .int64):
                let src = typed(tensor, Int32.self), dst = typed(out, Int64.self)
                forEachStrided(shape: s, strides: st) { i, o in dst[i] = Int64(src[o]) }
            case (.int64, .int32):
                let src = typed(tensor, Int64.self), dst = typed(out, Int32.self)
                forEachStrided(shape: s, strides: st) { i, o in dst[i] = Int32(truncatingIfNeeded: src[o]) }
            case (.int64, .bool), (.int32, .bool):
                let f = convert(tensor, to: .float32)
                let b = convert(f, to: .bool)
                copy(b, into: out)
            case (.bool, .int64), (.bool, .int32):
                let f = convert(tensor, to: .float32)
                copy(convert(f, to: dtype), into: out)
            default: preconditionFailure("convert: \(tensor.dtype) to \(dtype)")
            }
        }
        return out
    }
}
