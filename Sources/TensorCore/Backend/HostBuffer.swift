/// Host memory that a producer on the CPU (a data loader) writes and then hands to a backend as
/// a tensor, once. The CPU backend lends the future tensor's own storage, so the hand-over copies
/// nothing; a device backend would lend a staging buffer and upload it. Not thread-safe: one
/// writer, then `Backend.tensor(from:shape:dtype:)`, after which the buffer must not be written.
public final class HostBuffer: @unchecked Sendable {
    /// The writable bytes.
    public let pointer: UnsafeMutableRawPointer
    public let byteCount: Int
    /// Keeps `pointer` alive; for the CPU backend, the storage the tensor will own.
    let owner: AnyObject

    init(pointer: UnsafeMutableRawPointer, byteCount: Int, owner: AnyObject) {
        self.pointer = pointer
        self.byteCount = byteCount
        self.owner = owner
    }

    /// The bytes as `count` floats.
    public func floats(_ count: Int) -> UnsafeMutablePointer<Float> {
        precondition(count * MemoryLayout<Float>.size <= byteCount, "HostBuffer: \(count) floats in \(byteCount) bytes")
        return pointer.bindMemory(to: Float.self, capacity: count)
    }
}
