import Foundation

/// A `Communicator` over an MPI library loaded at run time (`MPILibrary`).
///
/// `world(library:options:)` initialises MPI (requesting `MPI_THREAD_MULTIPLE`; `threadLevel` says
/// what was provided), sets `MPI_ERRORS_RETURN` so failures come back as `DistributedError`s, and
/// gathers every rank's host and pid (`PeerTable`) for stall messages. `duplicate()` gives a separate
/// communicator (`MPI_Comm_dup`) for a second thread.
///
/// Stalls (a peer dead, stuck or unreachable; MPI itself may never notice, see `Options`):
/// - a blocking collective (`allreduceSum`, `broadcast`, `barrier`) that exceeds
///   `options.collectiveTimeout` ends the job: the watchdog thread prints the stall (call, rank,
///   seconds, dead ranks on this host) to standard error and calls `MPI_Abort` with
///   `options.timeoutExitCode`. MPI cannot cancel a blocking collective, and after a loss the
///   communicator is unusable.
/// - a started reduction (`PendingReduction.wait()`/`test()`) polls `MPI_Test` and throws
///   `.timedOut` or `.peerLost` instead, so its caller can clean up before ending the job.
///
/// Thread safety: all members may be called from any thread when `threadLevel` is
/// `.multiple`; collectives on one communicator must be issued by one thread at a time and in the
/// same order on every rank. Use `duplicate()` for a second thread's collectives.
public final class MPICommunicator: Communicator, @unchecked Sendable {
    /// How collectives are bounded and cut.
    public struct Options: Sendable, Equatable {
        /// Seconds a collective may wait for its peers before the job ends (blocking calls) or the
        /// wait throws (started reductions); nil waits forever. Must exceed the longest time one rank
        /// can legitimately work alone while the others wait (checkpoint writing, validation).
        public var collectiveTimeout: Double?
        /// The exit code `MPI_Abort` passes to the launcher when a blocking collective times out.
        public var timeoutExitCode: Int32
        /// The most elements one MPI call carries (MPI counts are C `int`); larger buffers go in
        /// several calls. Clamped to `1...Int32.max`; smaller values exist to test the chunking.
        public var chunkLimit: Int

        /// 300 s, exit code 75 (`EX_TEMPFAIL`: resume from the last checkpoint), chunks of `Int32.max`.
        public init(collectiveTimeout: Double? = 300, timeoutExitCode: Int32 = 75, chunkLimit: Int = Int(Int32.max)) {
            self.collectiveTimeout = collectiveTimeout
            self.timeoutExitCode = timeoutExitCode
            self.chunkLimit = min(max(chunkLimit, 1), Int(Int32.max))
        }
    }

    /// This process's rank (`MPI_Comm_rank`).
    public let rank: Int
    /// The number of ranks (`MPI_Comm_size`).
    public let size: Int
    /// `MPI_Get_processor_name` (the host name).
    public let processorName: String
    /// The MPI library in use.
    public let library: MPILibrary
    /// The thread support MPI provided (requested: `.multiple`).
    public let threadLevel: MPIThreadLevel
    /// The options this communicator bounds its collectives with.
    public let options: Options
    /// Every rank's host and pid, gathered when the world communicator was made.
    let peers: PeerTable
    /// `MPI_COMM_WORLD` or a duplicate.
    private var comm: MPIHandle
    /// True for the world communicator (its `finalize()` ends MPI).
    private let ownsMPI: Bool
    private let stall: StallPolicy
    private let watchdog: CollectiveWatchdog?
    private let stateLock = NSLock()
    private var released = false

    /// Initialises MPI (once per process; a second call finds it initialised) and returns
    /// `MPI_COMM_WORLD`. Collective over the launched job.
    public static func world(library: MPILibrary, options: Options = Options()) throws(DistributedError) -> MPICommunicator {
        let level = try library.initialize()
        let comm = library.commWorld
        try library.check(library.setErrorsReturn(comm), "MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN)")
        var rank: Int32 = 0, size: Int32 = 0
        try library.check(library.commRank(comm, &rank), "MPI_Comm_rank(MPI_COMM_WORLD)")
        try library.check(library.commSize(comm, &size), "MPI_Comm_size(MPI_COMM_WORLD)")
        let host = library.processorName()
        // Each rank's (pid, host), gathered once: the stall messages' only source on which peer is gone.
        let mine = PeerTable.record(host: host, pid: getpid())
        var all = [UInt8](repeating: 0, count: PeerTable.recordSize * Int(size))
        let code = mine.withUnsafeBytes { send in
            all.withUnsafeMutableBytes { receive in
                guard let send = send.baseAddress, let receive = receive.baseAddress else { return Int32(-1) }
                return library.allgatherBytes(send, count: Int32(PeerTable.recordSize), into: receive, comm: comm)
            }
        }
        try library.check(code, "MPI_Allgather (host and pid of every rank)", rank: Int(rank))
        return MPICommunicator(library: library, comm: comm, rank: Int(rank), size: Int(size), host: host,
                               threadLevel: level, options: options, peers: PeerTable(gathered: all, size: Int(size)),
                               ownsMPI: true)
    }

    private init(library: MPILibrary, comm: MPIHandle, rank: Int, size: Int, host: String, threadLevel: MPIThreadLevel,
                 options: Options, peers: PeerTable, ownsMPI: Bool) {
        self.library = library
        self.comm = comm
        self.rank = rank
        self.size = size
        self.processorName = host
        self.threadLevel = threadLevel
        self.options = options
        self.peers = peers
        self.ownsMPI = ownsMPI
        let stall = StallPolicy(timeout: options.collectiveTimeout, rank: rank, peers: peers)
        self.stall = stall
        watchdog = options.collectiveTimeout.map { timeout in
            let exitCode = options.timeoutExitCode
            return CollectiveWatchdog(timeout: timeout) { call, elapsed in
                let line = "\(stall.error(call: call, elapsed: elapsed)); ending the job (MPI_Abort, exit code \(exitCode))\n"
                FileHandle.standardError.write(Data(line.utf8))
                _ = library.abort(comm, code: exitCode)
                exit(exitCode)
            }
        }
    }

    deinit {
        watchdog?.stop()
    }

    /// Throws when the communicator or MPI was finalized (calling MPI then would abort the process).
    private func checkUsable(_ call: String) throws(DistributedError) -> MPIHandle {
        stateLock.lock()
        let done = released, comm = self.comm
        stateLock.unlock()
        if done || library.isFinalized { throw .finalized(call: call) }
        return comm
    }

    /// Runs one blocking MPI call under the watchdog and checks its code.
    private func blocking(_ call: @autoclosure () -> String, _ body: () -> Int32) throws(DistributedError) {
        let code: Int32
        if let watchdog { code = watchdog.guarded(call(), body) } else { code = body() }
        try library.check(code, call(), rank: rank)
    }

    /// `MPI_Allreduce(MPI_IN_PLACE, ..., MPI_FLOAT, MPI_SUM)`, in chunks of at most `Int32.max` floats.
    public func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Float>) throws(DistributedError) {
        try allreduceInPlace(UnsafeMutableRawPointer(buffer.baseAddress), count: buffer.count,
                             stride: MemoryLayout<Float>.stride, type: library.float, typeName: "floats")
    }

    /// `MPI_Allreduce(MPI_IN_PLACE, ..., MPI_DOUBLE, MPI_SUM)`, in chunks of at most `Int32.max` doubles.
    public func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Double>) throws(DistributedError) {
        try allreduceInPlace(UnsafeMutableRawPointer(buffer.baseAddress), count: buffer.count,
                             stride: MemoryLayout<Double>.stride, type: library.double, typeName: "doubles")
    }

    private func allreduceInPlace(_ base: UnsafeMutableRawPointer?, count: Int, stride: Int, type: MPIHandle,
                                  typeName: String) throws(DistributedError) {
        let comm = try checkUsable("MPI_Allreduce")
        guard let base, count > 0 else { return }
        for (offset, piece) in Chunks(count: count, limit: options.chunkLimit) {
            try blocking("MPI_Allreduce of \(piece) \(typeName)") {
                library.allreduceSumInPlace(base + offset * stride, count: piece, type: type, comm: comm)
            }
        }
    }

    /// `MPI_Iallreduce` per chunk of at most `Int32.max` floats; the reduction completes only while
    /// some thread calls MPI (see `PendingReduction`).
    public func startAllreduceSum(_ buffer: UnsafeMutableBufferPointer<Float>) throws(DistributedError) -> PendingReduction {
        let comm = try checkUsable("MPI_Iallreduce")
        guard let base = buffer.baseAddress, buffer.count > 0 else { return .completed() }
        var requests: [MPIHandle] = []
        for (offset, piece) in Chunks(count: buffer.count, limit: options.chunkLimit) {
            var request = MPIHandle(bits: 0)
            try library.check(library.iallreduceSumInPlace(UnsafeMutableRawPointer(base + offset), count: piece, type: library.float, comm: comm, &request),
                              "MPI_Iallreduce of \(piece) floats", rank: rank)
            requests.append(request)
        }
        return PendingReduction(MPIPendingRequests(library: library, requests: requests,
                                                   call: "MPI_Iallreduce of \(buffer.count) floats", stall: stall))
    }

    /// `MPI_Bcast` of bytes, in chunks of at most `Int32.max`.
    public func broadcast(_ buffer: UnsafeMutableRawBufferPointer, root: Int) throws(DistributedError) {
        let comm = try checkUsable("MPI_Bcast")
        guard (0..<size).contains(root) else {
            throw .invalidArgument(call: "broadcast", reason: "root \(root) is not a rank of this communicator (size \(size))")
        }
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        for (offset, piece) in Chunks(count: buffer.count, limit: options.chunkLimit) {
            try blocking("MPI_Bcast of \(piece) bytes from rank \(root)") {
                library.broadcastBytes(base + offset, count: piece, root: Int32(root), comm: comm)
            }
        }
    }

    /// `MPI_Barrier`.
    public func barrier() throws(DistributedError) {
        let comm = try checkUsable("MPI_Barrier")
        try blocking("MPI_Barrier") { library.barrier(comm) }
    }

    /// `MPI_Abort(comm, code)`: the launcher ends every process of the job.
    public func abort(code: Int32) -> Never {
        if library.isInitialized && !library.isFinalized {
            _ = library.abort(comm, code: code)
        }
        exit(code)
    }

    /// `MPI_Comm_dup`, with `MPI_ERRORS_RETURN` and the same options; release it with `finalize()`.
    public func duplicate() throws(DistributedError) -> any Communicator {
        let comm = try checkUsable("MPI_Comm_dup")
        var copy = MPIHandle(bits: 0)
        try blocking("MPI_Comm_dup") { library.commDup(comm, &copy) }
        try library.check(library.setErrorsReturn(copy), "MPI_Comm_set_errhandler(duplicate, MPI_ERRORS_RETURN)", rank: rank)
        return MPICommunicator(library: library, comm: copy, rank: rank, size: size, host: processorName,
                               threadLevel: threadLevel, options: options, peers: peers, ownsMPI: false)
    }

    /// The world communicator: `MPI_Finalize` (collective; after it MPI cannot be used again in this
    /// process). A duplicate: `MPI_Comm_free`. Idempotent; afterwards every collective throws
    /// `.finalized`.
    public func finalize() {
        stateLock.lock()
        let first = !released
        released = true
        stateLock.unlock()
        guard first else { return }
        watchdog?.stop()
        guard library.isInitialized, !library.isFinalized else { return }
        if ownsMPI {
            library.finalize()
        } else {
            stateLock.lock()
            _ = library.commFree(&comm)
            stateLock.unlock()
        }
    }
}
