/// The boundary between training and the processes that share it: rank, size and the collectives
/// data-parallel training needs. One implementation per transport: `SingleProcessCommunicator` (one
/// process, every collective a no-op) and `MPICommunicator` (MPI loaded at run time). A GPU backend
/// can put NCCL behind the same protocol.
///
/// Collective semantics (as in MPI): every rank of the communicator must call the same collectives in
/// the same order with the same counts; a rank that skips one leaves the others waiting (see
/// `MPICommunicator`'s timeout).
///
/// Thread safety: an implementation may be called from any thread, but the collectives of one
/// communicator must be issued in one agreed order on every rank, so issue them from one thread at
/// a time. A second thread that reduces concurrently (gradient buckets while the main thread does
/// BatchNorm reductions) must use its own communicator from `duplicate()`.
public protocol Communicator: AnyObject, Sendable {
    /// This process's index in the communicator, `0..<size`.
    var rank: Int { get }
    /// The number of processes in the communicator.
    var size: Int { get }
    /// The host this rank runs on (`MPI_Get_processor_name`), for messages.
    var processorName: String { get }

    /// Sums `buffer` element-wise over all ranks, in place: afterwards every rank holds the sum.
    /// Blocks until done. Counts above `Int32.max` are reduced in chunks.
    func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Float>) throws(DistributedError)
    /// Sums `buffer` element-wise over all ranks, in place (Double precision).
    func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Double>) throws(DistributedError)
    /// Starts an in-place sum over all ranks and returns at once. `buffer` must stay alive and
    /// untouched until the returned reduction's `wait()` returns or `test()` returns true.
    func startAllreduceSum(_ buffer: UnsafeMutableBufferPointer<Float>) throws(DistributedError) -> PendingReduction
    /// Copies `buffer` of rank `root` into `buffer` of every other rank (same byte count everywhere).
    func broadcast(_ buffer: UnsafeMutableRawBufferPointer, root: Int) throws(DistributedError)
    /// Returns once every rank has called `barrier()`.
    func barrier() throws(DistributedError)
    /// Ends every process of the job (`MPI_Abort`) with exit code `code`; in one process, `exit(code)`.
    func abort(code: Int32) -> Never
    /// A new communicator over the same ranks whose collectives never match this one's
    /// (`MPI_Comm_dup`), so another thread can run its own sequence of collectives. Collective:
    /// every rank must call it, in the same order relative to other collectives.
    func duplicate() throws(DistributedError) -> any Communicator
    /// Releases the communicator; for the world communicator this ends MPI (`MPI_Finalize`), which
    /// is collective: call it on every rank after the last collective, once. Later calls do nothing.
    func finalize()
}
