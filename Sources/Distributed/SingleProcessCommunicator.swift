#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The communicator of a process that trains alone (no launcher, or a world of one): rank 0 of 1.
/// Every collective is a no-op (the sum over one rank is the buffer itself; a broadcast from rank 0
/// leaves it as it is), so code written for N ranks runs unchanged and exactly as before. MPI is never
/// loaded. Stateless, so safe from any thread.
public final class SingleProcessCommunicator: Communicator {
    /// The communicator of this process alone.
    public init() {}

    /// Always 0.
    public var rank: Int { 0 }
    /// Always 1.
    public var size: Int { 1 }

    /// This machine's host name (`gethostname`).
    public var processorName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Leaves `buffer` as it is (the sum over one rank).
    public func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Float>) throws(DistributedError) {}

    /// Leaves `buffer` as it is (the sum over one rank).
    public func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Double>) throws(DistributedError) {}

    /// Already complete.
    public func startAllreduceSum(_ buffer: UnsafeMutableBufferPointer<Float>) throws(DistributedError) -> PendingReduction {
        .completed()
    }

    /// Root must be 0, the only rank.
    public func broadcast(_ buffer: UnsafeMutableRawBufferPointer, root: Int) throws(DistributedError) {
        guard root == 0 else {
            throw .invalidArgument(call: "broadcast", reason: "root \(root) is not a rank of this communicator (size 1)")
        }
    }

    /// Returns at once.
    public func barrier() throws(DistributedError) {}

    /// `exit(code)`.
    public func abort(code: Int32) -> Never {
        exit(code)
    }

    /// Another single-process communicator.
    public func duplicate() throws(DistributedError) -> any Communicator {
        SingleProcessCommunicator()
    }

    /// Nothing to release.
    public func finalize() {}
}
