import Synchronization

/// Live and cached bytes of a `CPUBackend`'s allocator.
public struct MemoryStatistics: Sendable, Equatable {
    /// Bytes held by live tensors (bucket sizes).
    public var liveBytes: Int
    /// Highest `liveBytes` since the last `resetPeak()`.
    public var peakLiveBytes: Int
    /// Bytes kept in the free lists for reuse.
    public var cachedBytes: Int
}

/// A caching allocator for CPU buffers: sizes are rounded up to buckets (≤ 12.5% waste) and
/// freed buffers go to per-bucket free lists, so the big activations of the next training step
/// reuse memory that is already mapped instead of page-faulting fresh pages
/// (SWIFT-PERFORMANCE-NOTES.md pitfall 6). Buffers are 64-byte aligned. Thread-safe.
final class CPUAllocator: @unchecked Sendable {
    private struct State {
        var free: [Int: [UInt]] = [:]  // bucket size → buffer addresses
        var stats = MemoryStatistics(liveBytes: 0, peakLiveBytes: 0, cachedBytes: 0)
    }
    private let state = Mutex(State())
    /// Free buffers beyond this many cached bytes go back to the system.
    let cacheLimit: Int

    init(cacheLimit: Int) { self.cacheLimit = cacheLimit }

    /// The bucket size for a request of `bytes`.
    static func bucket(_ bytes: Int) -> Int {
        if bytes <= 4096 { return max(64, (bytes + 63) & ~63) }
        let power = Int.bitWidth - (bytes - 1).leadingZeroBitCount  // 2^power ≥ bytes
        let step = 1 << (power - 3)
        return (bytes + step - 1) / step * step
    }

    /// A buffer of at least `bytes` bytes and its bucket size (pass both back to `release`).
    func allocate(_ bytes: Int) -> (UnsafeMutableRawPointer, Int) {
        let size = CPUAllocator.bucket(bytes)
        let reused: UInt? = state.withLock { s in
            let p = s.free[size]?.popLast()
            if p != nil { s.stats.cachedBytes -= size }
            s.stats.liveBytes += size
            s.stats.peakLiveBytes = max(s.stats.peakLiveBytes, s.stats.liveBytes)
            return p
        }
        if let reused, let p = UnsafeMutableRawPointer(bitPattern: reused) { return (p, size) }
        return (UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 64), size)
    }

    /// Returns a buffer to the cache (or to the system when the cache is full).
    func release(_ pointer: UnsafeMutableRawPointer, size: Int) {
        let address = UInt(bitPattern: pointer)
        let keep = state.withLock { s in
            s.stats.liveBytes -= size
            guard s.stats.cachedBytes + size <= cacheLimit else { return false }
            s.free[size, default: []].append(address)
            s.stats.cachedBytes += size
            return true
        }
        if !keep { pointer.deallocate() }
    }

    var statistics: MemoryStatistics { state.withLock { $0.stats } }

    func resetPeak() { state.withLock { $0.stats.peakLiveBytes = $0.stats.liveBytes } }

    /// Frees every cached buffer.
    func emptyCache() {
        let buffers: [UInt] = state.withLock { s in
            let all = s.free.values.flatMap { $0 }
            s.free = [:]
            s.stats.cachedBytes = 0
            return all
        }
        for b in buffers { UnsafeMutableRawPointer(bitPattern: b)?.deallocate() }
    }

    deinit { emptyCache() }
}

/// CPU memory from a `CPUAllocator`; returns itself to the cache when the last tensor drops it.
final class CPUStorage: Storage, @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
    let bucketSize: Int
    let allocator: CPUAllocator

    init(backend: CPUBackend, byteCount: Int) {
        allocator = backend.allocator
        (pointer, bucketSize) = allocator.allocate(byteCount)
        super.init(backend: backend, byteCount: byteCount)
    }

    deinit { allocator.release(pointer, size: bucketSize) }
}
