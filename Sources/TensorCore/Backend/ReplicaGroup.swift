/// The replicas of a data-parallel run as the tensor core sees them: processes that hold the same
/// model, each with its share of the batch, and a way to sum values over all of them. Training
/// implements it over a communicator (MPI); where no group is given, everything is one process.
///
/// Collectives: every replica must make the same calls, in the same order, with the same counts.
/// Errors are not returned: a failed collective (a lost replica) ends the whole job, after the
/// implementation has said why, so no replica waits for a sum that never comes.
public protocol ReplicaGroup: AnyObject, Sendable {
    /// The number of replicas (1: a group of one, every call a no-op).
    var count: Int { get }
    /// Sums `values` element-wise over all replicas, in place.
    func sum(_ values: UnsafeMutableBufferPointer<Double>)
    /// Sums `values` element-wise over all replicas, in place.
    func sum(_ values: UnsafeMutableBufferPointer<Float>)
    /// Replaces `bytes` on every replica with replica 0's.
    func broadcastFromFirst(_ bytes: UnsafeMutableRawBufferPointer)
}
