/// The C entry points of an MPI library, typed per family. The prototypes are the same in both
/// families' `mpi.h`; only the handle types differ: `struct ompi_*_t *` (a pointer) in Open MPI, `int`
/// in the MPICH ABI. `@convention(c)` types cannot be generic, hence two tables.

/// Functions without handles, the same in both families.
struct MPICommonFunctions {
    typealias IntOut = UnsafeMutablePointer<Int32>?
    typealias Text = UnsafeMutablePointer<CChar>?

    let initThread: @convention(c) (IntOut, UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?, Int32, IntOut) -> Int32
    let initialized: @convention(c) (IntOut) -> Int32
    let finalized: @convention(c) (IntOut) -> Int32
    let finalize: @convention(c) () -> Int32
    let queryThread: @convention(c) (IntOut) -> Int32
    let getProcessorName: @convention(c) (Text, IntOut) -> Int32
    let errorString: @convention(c) (Int32, Text, IntOut) -> Int32
    let errorClass: @convention(c) (Int32, IntOut) -> Int32
    let getLibraryVersion: @convention(c) (Text, IntOut) -> Int32

    init(_ resolve: SymbolResolver) throws(DistributedError) {
        initThread = try resolve.function("MPI_Init_thread")
        initialized = try resolve.function("MPI_Initialized")
        finalized = try resolve.function("MPI_Finalized")
        finalize = try resolve.function("MPI_Finalize")
        queryThread = try resolve.function("MPI_Query_thread")
        getProcessorName = try resolve.function("MPI_Get_processor_name")
        errorString = try resolve.function("MPI_Error_string")
        errorClass = try resolve.function("MPI_Error_class")
        getLibraryVersion = try resolve.function("MPI_Get_library_version")
    }
}

/// The handle-taking functions of Open MPI: every handle (`H`) is a pointer. `MPICHFunctions` below is
/// the same table with `int` handles; keep the two in step.
struct OpenMPIFunctions {
    typealias H = UnsafeMutableRawPointer?
    typealias IntOut = UnsafeMutablePointer<Int32>?
    typealias Out = UnsafeMutablePointer<H>?
    typealias Send = UnsafeRawPointer?
    typealias Receive = UnsafeMutableRawPointer?

    let commRank: @convention(c) (H, IntOut) -> Int32
    let commSize: @convention(c) (H, IntOut) -> Int32
    let commDup: @convention(c) (H, Out) -> Int32
    let commFree: @convention(c) (Out) -> Int32
    let commSetErrhandler: @convention(c) (H, H) -> Int32
    let allreduce: @convention(c) (Send, Receive, Int32, H, H, H) -> Int32
    let iallreduce: @convention(c) (Send, Receive, Int32, H, H, H, Out) -> Int32
    let bcast: @convention(c) (Receive, Int32, H, Int32, H) -> Int32
    let ibcast: @convention(c) (Receive, Int32, H, Int32, H, Out) -> Int32
    let barrier: @convention(c) (H) -> Int32
    let ibarrier: @convention(c) (H, Out) -> Int32
    let allgather: @convention(c) (Send, Int32, H, Receive, Int32, H, H) -> Int32
    let abort: @convention(c) (H, Int32) -> Int32
    let wait: @convention(c) (Out, UnsafeMutableRawPointer?) -> Int32
    let test: @convention(c) (Out, IntOut, UnsafeMutableRawPointer?) -> Int32

    init(_ resolve: SymbolResolver) throws(DistributedError) {
        commRank = try resolve.function("MPI_Comm_rank")
        commSize = try resolve.function("MPI_Comm_size")
        commDup = try resolve.function("MPI_Comm_dup")
        commFree = try resolve.function("MPI_Comm_free")
        commSetErrhandler = try resolve.function("MPI_Comm_set_errhandler")
        allreduce = try resolve.function("MPI_Allreduce")
        iallreduce = try resolve.function("MPI_Iallreduce")
        bcast = try resolve.function("MPI_Bcast")
        ibcast = try resolve.function("MPI_Ibcast")
        barrier = try resolve.function("MPI_Barrier")
        ibarrier = try resolve.function("MPI_Ibarrier")
        allgather = try resolve.function("MPI_Allgather")
        abort = try resolve.function("MPI_Abort")
        wait = try resolve.function("MPI_Wait")
        test = try resolve.function("MPI_Test")
    }
}

/// `OpenMPIFunctions` with the MPICH ABI's `int` handles.
struct MPICHFunctions {
    typealias H = Int32
    typealias IntOut = UnsafeMutablePointer<Int32>?
    typealias Out = UnsafeMutablePointer<H>?
    typealias Send = UnsafeRawPointer?
    typealias Receive = UnsafeMutableRawPointer?

    let commRank: @convention(c) (H, IntOut) -> Int32
    let commSize: @convention(c) (H, IntOut) -> Int32
    let commDup: @convention(c) (H, Out) -> Int32
    let commFree: @convention(c) (Out) -> Int32
    let commSetErrhandler: @convention(c) (H, H) -> Int32
    let allreduce: @convention(c) (Send, Receive, Int32, H, H, H) -> Int32
    let iallreduce: @convention(c) (Send, Receive, Int32, H, H, H, Out) -> Int32
    let bcast: @convention(c) (Receive, Int32, H, Int32, H) -> Int32
    let ibcast: @convention(c) (Receive, Int32, H, Int32, H, Out) -> Int32
    let barrier: @convention(c) (H) -> Int32
    let ibarrier: @convention(c) (H, Out) -> Int32
    let allgather: @convention(c) (Send, Int32, H, Receive, Int32, H, H) -> Int32
    let abort: @convention(c) (H, Int32) -> Int32
    let wait: @convention(c) (Out, UnsafeMutableRawPointer?) -> Int32
    let test: @convention(c) (Out, IntOut, UnsafeMutableRawPointer?) -> Int32

    init(_ resolve: SymbolResolver) throws(DistributedError) {
        commRank = try resolve.function("MPI_Comm_rank")
        commSize = try resolve.function("MPI_Comm_size")
        commDup = try resolve.function("MPI_Comm_dup")
        commFree = try resolve.function("MPI_Comm_free")
        commSetErrhandler = try resolve.function("MPI_Comm_set_errhandler")
        allreduce = try resolve.function("MPI_Allreduce")
        iallreduce = try resolve.function("MPI_Iallreduce")
        bcast = try resolve.function("MPI_Bcast")
        ibcast = try resolve.function("MPI_Ibcast")
        barrier = try resolve.function("MPI_Barrier")
        ibarrier = try resolve.function("MPI_Ibarrier")
        allgather = try resolve.function("MPI_Allgather")
        abort = try resolve.function("MPI_Abort")
        wait = try resolve.function("MPI_Wait")
        test = try resolve.function("MPI_Test")
    }
}
