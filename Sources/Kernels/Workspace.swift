import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A small thread-safe cache of 64-byte-aligned scratch buffers (GEMM packing panels, im2col
/// tiles), so hot calls reuse warm, already-faulted memory instead of allocating per call.
///
/// `withBuffer` takes a free buffer at least as large as asked (or grows the largest free one),
/// lends it for the duration of `body`, and returns it to the cache. Concurrent callers each get
/// their own buffer. At most `maximumCached` buffers are kept; extras are freed on return.
final class Workspace: @unchecked Sendable {
    private struct Buffer: @unchecked Sendable {
        var pointer: UnsafeMutableRawPointer
        var bytes: Int
    }

    private let free = Mutex<[Buffer]>([])
    private let maximumCached: Int

    /// The cache the kernels share (one object, created on first use).
    static let shared = Workspace(maximumCached: 8)

    init(maximumCached: Int) { self.maximumCached = maximumCached }

    /// Lends `body` a buffer of at least `count` floats, 64-byte aligned, contents unspecified.
    func withBuffer<R>(floats count: Int, _ body: (UnsafeMutablePointer<Float>) throws -> R) rethrows -> R {
        let bytes = max(64, (count * MemoryLayout<Float>.stride + 63) & ~63)
        var buffer = take(bytes: bytes)
        if buffer.bytes < bytes {
            buffer.pointer.deallocate()
            buffer = Self.allocate(bytes: bytes)
        }
        defer { give(buffer) }
        return try body(buffer.pointer.bindMemory(to: Float.self, capacity: buffer.bytes / 4))
    }

    /// The smallest free buffer that fits, else the largest free one (to be grown), else a new one.
    private func take(bytes: Int) -> Buffer {
        let taken: Buffer? = free.withLock { list in
            if list.isEmpty { return nil }
            var best = -1
            for (index, candidate) in list.enumerated() where candidate.bytes >= bytes {
                if best < 0 || candidate.bytes < list[best].bytes { best = index }
            }
            if best < 0 {
                best = list.indices.max { list[$0].bytes < list[$1].bytes }!
            }
            return list.remove(at: best)
        }
        return taken ?? Self.allocate(bytes: bytes)
    }

    /// 64-byte aligned; buffers of 4 MB and more are 2 MB aligned and marked for transparent huge
    /// pages: the shifted-view kernels read from dozens of image planes at once, which would
    /// otherwise miss the TLB on most depth steps.
    private static func allocate(bytes: Int) -> Buffer {
        let hugePage = 2 << 20
        if bytes < 2 * hugePage {
            return Buffer(pointer: .allocate(byteCount: bytes, alignment: 64), bytes: bytes)
        }
        let rounded = (bytes + hugePage - 1) / hugePage * hugePage
        let pointer = UnsafeMutableRawPointer.allocate(byteCount: rounded, alignment: hugePage)
        #if os(Linux)
        _ = madvise(pointer, rounded, 14)  // MADV_HUGEPAGE; advisory, failure is harmless
        #endif
        return Buffer(pointer: pointer, bytes: rounded)
    }

    private func give(_ buffer: Buffer) {
        let evicted: Buffer? = free.withLock { list in
            list.append(buffer)
            if list.count <= maximumCached { return nil }
            let smallest = list.indices.min { list[$0].bytes < list[$1].bytes }!
            return list.remove(at: smallest)
        }
        evicted?.pointer.deallocate()
    }
}
