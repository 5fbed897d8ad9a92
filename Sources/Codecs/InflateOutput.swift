#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The growable output window of the inflater: one malloc'd block, `capacity` usable bytes plus
/// `slack` bytes so that match copies may store whole 8-byte words past the end of a match.
struct InflateOutput {
    static let slack = 16

    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    /// Output larger than this is an error (or, with `stopAtLimit`, where decoding stops).
    let limit: Int
    let stopAtLimit: Bool

    init(initialCapacity: Int, limit: Int, stopAtLimit: Bool) throws(CodecError) {
        let capacity = max(0, min(initialCapacity, limit))
        guard let memory = malloc(capacity + Self.slack) else {
            throw CodecError("cannot allocate \(capacity) bytes for inflated data")
        }
        base = memory.assumingMemoryBound(to: UInt8.self)
        self.capacity = capacity
        self.limit = limit
        self.stopAtLimit = stopAtLimit
    }

    /// Makes room for `needed` bytes in all. Returns false when that would pass `limit`.
    mutating func grow(toHold needed: Int) throws(CodecError) -> Bool {
        guard needed <= limit else { return false }
        var newCapacity = max(capacity, 4096)
        while newCapacity < needed { newCapacity = newCapacity > Int.max / 4 ? needed : newCapacity * 2 }
        newCapacity = min(newCapacity, limit)
        guard let memory = realloc(base, newCapacity + Self.slack) else {
            throw CodecError("cannot allocate \(newCapacity) bytes for inflated data")
        }
        base = memory.assumingMemoryBound(to: UInt8.self)
        capacity = newCapacity
        return true
    }

    /// Releases the block; the value must not be used afterwards.
    func release() { free(base) }
}
