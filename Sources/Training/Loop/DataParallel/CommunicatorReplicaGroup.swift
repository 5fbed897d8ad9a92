import Distributed
import Foundation
import TensorCore

/// The tensor core's `ReplicaGroup` over a communicator (MPI): the sums of synchronised batch norm,
/// of the gradients and of the losses, and the broadcast of the initial weights. A failed
/// collective (a lost rank: the communicator's watchdog names it) ends the job after one line on
/// stderr, so no rank waits for a sum that never comes.
public final class CommunicatorReplicaGroup: ReplicaGroup, @unchecked Sendable {
    public let communicator: any Communicator

    public init(_ communicator: any Communicator) { self.communicator = communicator }

    public var count: Int { communicator.size }

    public func sum(_ values: UnsafeMutableBufferPointer<Double>) {
        do { try communicator.allreduceSum(values) } catch { stop(error) }
    }

    public func sum(_ values: UnsafeMutableBufferPointer<Float>) {
        do { try communicator.allreduceSum(values) } catch { stop(error) }
    }

    public func broadcastFromFirst(_ bytes: UnsafeMutableRawBufferPointer) {
        do { try communicator.broadcast(bytes, root: 0) } catch { stop(error) }
    }

    private func stop(_ error: DistributedError) -> Never {
        FileHandle.standardError.write(Data("train: rank \(communicator.rank): \(error)\n".utf8))
        communicator.abort(code: 1)
    }
}
