/// The MPI calls this layer makes, each translating `MPIHandle`s into the loaded family's C types.
/// They return MPI's error code (0 is `MPI_SUCCESS`); `check` turns a code into a `DistributedError`.
/// Thread safety: as MPI's own (`MPI_THREAD_MULTIPLE` lets any thread call any of these).
extension MPILibrary {
    /// `MPI_IN_PLACE` of this family.
    var inPlace: UnsafeRawPointer? { UnsafeRawPointer(bitPattern: constants.inPlace) }
    /// `MPI_STATUS_IGNORE` of this family (NULL in Open MPI, `(MPI_Status *)1` in MPICH).
    var statusIgnore: UnsafeMutableRawPointer? { UnsafeMutableRawPointer(bitPattern: constants.statusIgnore) }

    /// Throws `callFailed` (or `peerLost` for the family's process-failure class) unless `code` is 0.
    func check(_ code: Int32, _ call: @autoclosure () -> String, rank: Int = -1) throws(DistributedError) {
        guard code != 0 else { return }
        var errorClass: Int32 = code
        _ = common.errorClass(code, &errorClass)
        if let failed = constants.processFailedErrorClass, errorClass == failed {
            throw .peerLost(call: call(), rank: rank, lostRanks: [], detail: errorMessage(code))
        }
        throw .callFailed(call: call(), code: code, message: errorMessage(code))
    }

    /// `MPI_Error_string` of `code`.
    func errorMessage(_ code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: constants.maxErrorString + 1)
        var length: Int32 = 0
        guard common.errorString(code, &buffer, &length) == 0 else { return "unknown MPI error" }
        let count = Int(max(0, min(length, Int32(constants.maxErrorString))))
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `MPI_Initialized` (false when the query itself fails).
    var isInitialized: Bool {
        var flag: Int32 = 0
        return common.initialized(&flag) == 0 && flag != 0
    }

    /// `MPI_Finalized` (false when the query itself fails).
    var isFinalized: Bool {
        var flag: Int32 = 0
        return common.finalized(&flag) == 0 && flag != 0
    }

    /// `MPI_Init_thread` requesting `MPI_THREAD_MULTIPLE`, unless MPI is already initialised (then
    /// `MPI_Query_thread`). Returns the level provided. MPI can be initialised once per process: after
    /// `MPI_Finalize` this throws.
    func initialize() throws(DistributedError) -> MPIThreadLevel {
        if isFinalized { throw .finalized(call: "MPI_Init_thread") }
        var provided: Int32 = 0
        if isInitialized {
            try check(common.queryThread(&provided), "MPI_Query_thread")
        } else {
            try check(common.initThread(nil, nil, constants.threadMultiple, &provided), "MPI_Init_thread")
        }
        return MPIThreadLevel(rawValue: provided) ?? .single
    }

    /// `MPI_Finalize`, once (nothing when already finalized or never initialised).
    func finalize() {
        guard isInitialized, !isFinalized else { return }
        _ = common.finalize()
    }

    /// `MPI_Get_processor_name` (the host name), or "" on failure.
    func processorName() -> String {
        var buffer = [CChar](repeating: 0, count: constants.maxProcessorName + 1)
        var length: Int32 = 0
        guard common.getProcessorName(&buffer, &length) == 0 else { return "" }
        let count = Int(max(0, min(length, Int32(constants.maxProcessorName))))
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func commRank(_ comm: MPIHandle, _ rank: inout Int32) -> Int32 {
        switch calls {
        case .openMPI(let f): return f.commRank(comm.pointer, &rank)
        case .mpich(let f): return f.commRank(comm.integer, &rank)
        }
    }

    func commSize(_ comm: MPIHandle, _ size: inout Int32) -> Int32 {
        switch calls {
        case .openMPI(let f): return f.commSize(comm.pointer, &size)
        case .mpich(let f): return f.commSize(comm.integer, &size)
        }
    }

    func commDup(_ comm: MPIHandle, _ copy: inout MPIHandle) -> Int32 {
        switch calls {
        case .openMPI(let f):
            var out: UnsafeMutableRawPointer? = nil
            defer { copy = MPIHandle(out) }
            return f.commDup(comm.pointer, &out)
        case .mpich(let f):
            var out: Int32 = 0
            defer { copy = MPIHandle(out) }
            return f.commDup(comm.integer, &out)
        }
    }

    func commFree(_ comm: inout MPIHandle) -> Int32 {
        switch calls {
        case .openMPI(let f):
            var handle = comm.pointer
            defer { comm = MPIHandle(handle) }
            return f.commFree(&handle)
        case .mpich(let f):
            var handle = comm.integer
            defer { comm = MPIHandle(handle) }
            return f.commFree(&handle)
        }
    }

    /// `MPI_Comm_set_errhandler(comm, MPI_ERRORS_RETURN)`: failures come back as codes instead of
    /// aborting the job.
    func setErrorsReturn(_ comm: MPIHandle) -> Int32 {
        switch calls {
        case .openMPI(let f): return f.commSetErrhandler(comm.pointer, errorsReturn.pointer)
        case .mpich(let f): return f.commSetErrhandler(comm.integer, errorsReturn.integer)
        }
    }

    /// `MPI_Allreduce(MPI_IN_PLACE, buffer, count, type, MPI_SUM, comm)`.
    func allreduceSumInPlace(_ buffer: UnsafeMutableRawPointer, count: Int32, type: MPIHandle, comm: MPIHandle) -> Int32 {
        switch calls {
        case .openMPI(let f): return f.allreduce(inPlace, buffer, count, type.pointer, sum.pointer, comm.pointer)
        case .mpich(let f): return f.allreduce(inPlace, buffer, count, type.integer, sum.integer, comm.integer)
        }
    }

    /// `MPI_Iallreduce(MPI_IN_PLACE, buffer, count, type, MPI_SUM, comm, &request)`.
    func iallreduceSumInPlace(_ buffer: UnsafeMutableRawPointer, count: Int32, type: MPIHandle, comm: MPIHandle,
                              _ request: inout MPIHandle) -> Int32 {
        switch calls {
        case .openMPI(let f):
            var out: UnsafeMutableRawPointer? = nil
            defer { request = MPIHandle(out) }
            return f.iallreduce(inPlace, buffer, count, type.pointer, sum.pointer, comm.pointer, &out)
        case .mpich(let f):
            var out: Int32 = 0
            defer { request = MPIHandle(out) }
            return f.iallreduce(inPlace, buffer, count, type.integer, sum.integer, comm.integer, &out)
        }
    }

    /// `MPI_Bcast(buffer, count, MPI_BYTE, root, comm)`.
    func broadcastBytes(_ buffer: UnsafeMutableRawPointer?, count: Int32, root: Int32, comm: MPIHandle) -> Int32 {
        switch calls {
        case .openMPI(let f): return f.bcast(buffer, count, byte.pointer, root, comm.pointer)
        case .mpich(let f): return f.bcast(buffer, count, byte.integer, root, comm.integer)
        }
    }

    /// `MPI_Ibcast(buffer, count, MPI_BYTE, root, comm, &request)`.
    func ibroadcastBytes(_ buffer: UnsafeMutableRawPointer?, count: Int32, root: Int32, comm: MPIHandle,
                         _ request: inout MPIHandle) -> Int32 {
        switch calls {
        case .openMPI(let f):
            var out: UnsafeMutableRawPointer? = nil
            defer { request = MPIHandle(out) }
            return f.ibcast(buffer, count, byte.pointer, root, comm.pointer, &out)
        case .mpich(let f):
            var out: Int32 = 0
            defer { request = MPIHandle(out) }
            return f.ibcast(buffer, count, byte.integer, root, comm.integer, &out)
        }
    }

    func barrier(_ comm: MPIHandle) -> Int32 {
        switch calls {
        case .openMPI(let f): return f.barrier(comm.pointer)
        case .mpich(let f): return f.barrier(comm.integer)
        }
    }

    func ibarrier(_ comm: MPIHandle, _ request: inout MPIHandle) -> Int32 {
        switch calls {
        case .openMPI(let f):
            var out: UnsafeMutableRawPointer? = nil
            defer { request = MPIHandle(out) }
            return f.ibarrier(comm.pointer, &out)
        case .mpich(let f):
            var out: Int32 = 0
            defer { request = MPIHandle(out) }
            return f.ibarrier(comm.integer, &out)
        }
    }

    /// `MPI_Allgather(send, count, MPI_BYTE, receive, count, MPI_BYTE, comm)`.
    func allgatherBytes(_ send: UnsafeRawPointer, count: Int32, into receive: UnsafeMutableRawPointer, comm: MPIHandle) -> Int32 {
        switch calls {
        case .openMPI(let f): return f.allgather(send, count, byte.pointer, receive, count, byte.pointer, comm.pointer)
        case .mpich(let f): return f.allgather(send, count, byte.integer, receive, count, byte.integer, comm.integer)
        }
    }

    func abort(_ comm: MPIHandle, code: Int32) -> Int32 {
        switch calls {
        case .openMPI(let f): return f.abort(comm.pointer, code)
        case .mpich(let f): return f.abort(comm.integer, code)
        }
    }

    /// `MPI_Wait(&request, MPI_STATUS_IGNORE)`.
    func wait(_ request: inout MPIHandle) -> Int32 {
        switch calls {
        case .openMPI(let f):
            var handle = request.pointer
            defer { request = MPIHandle(handle) }
            return f.wait(&handle, statusIgnore)
        case .mpich(let f):
            var handle = request.integer
            defer { request = MPIHandle(handle) }
            return f.wait(&handle, statusIgnore)
        }
    }

    /// `MPI_Test(&request, &flag, MPI_STATUS_IGNORE)`; `done` is the flag.
    func test(_ request: inout MPIHandle, _ done: inout Bool) -> Int32 {
        var flag: Int32 = 0
        defer { done = flag != 0 }
        switch calls {
        case .openMPI(let f):
            var handle = request.pointer
            defer { request = MPIHandle(handle) }
            return f.test(&handle, &flag, statusIgnore)
        case .mpich(let f):
            var handle = request.integer
            defer { request = MPIHandle(handle) }
            return f.test(&handle, &flag, statusIgnore)
        }
    }
}
