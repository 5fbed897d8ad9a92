/// The values of one MPI family's `mpi.h` that this layer uses, copied from the installed headers:
/// Open MPI 4.1.4 (`/usr/lib/x86_64-linux-gnu/openmpi/include/mpi.h`) and MPICH 4.0.2
/// (`/usr/include/x86_64-linux-gnu/mpich/mpi.h`), Debian bookworm. The MPICH values are the MPICH ABI,
/// shared by Intel MPI and Cray MPICH.
struct MPIConstants: Equatable, Sendable {
    /// A predefined handle: Open MPI's are addresses of exported globals (found with `dlsym`),
    /// MPICH's fixed 32-bit integers.
    enum Handle: Equatable, Sendable {
        case symbol(String)
        case value(Int32)
    }

    var commWorld: Handle
    var float: Handle
    var double: Handle
    var byte: Handle
    var sum: Handle
    var errorsReturn: Handle
    /// `MPI_IN_PLACE`, as the bit pattern of the address.
    var inPlace: Int
    /// `MPI_STATUS_IGNORE`, as the bit pattern of the address (NULL in Open MPI, 1 in MPICH).
    var statusIgnore: Int
    /// `MPI_THREAD_MULTIPLE` (the levels are 0 single, 1 funneled, 2 serialized, 3 multiple in both).
    var threadMultiple: Int32
    /// `MPI_MAX_PROCESSOR_NAME`: the buffer `MPI_Get_processor_name` may fill.
    var maxProcessorName: Int
    /// `MPI_MAX_ERROR_STRING`: the buffer `MPI_Error_string` may fill.
    var maxErrorString: Int
    /// The error class of a failed peer process, where the family defines one
    /// (MPICH's `MPIX_ERR_PROC_FAILED`); Open MPI 4.1 has no ULFM.
    var processFailedErrorClass: Int32?

    /// Open MPI 4.1: `OMPI_PREDEFINED_GLOBAL(MPI_Comm, ompi_mpi_comm_world)` and so on;
    /// `MPI_IN_PLACE` is `((void *) 1)`, `MPI_STATUS_IGNORE` `((MPI_Status *) 0)`,
    /// `OPAL_MAX_PROCESSOR_NAME` and `OPAL_MAX_ERROR_STRING` 256.
    static let openMPI = MPIConstants(
        commWorld: .symbol("ompi_mpi_comm_world"), float: .symbol("ompi_mpi_float"),
        double: .symbol("ompi_mpi_double"), byte: .symbol("ompi_mpi_byte"), sum: .symbol("ompi_mpi_op_sum"),
        errorsReturn: .symbol("ompi_mpi_errors_return"), inPlace: 1, statusIgnore: 0, threadMultiple: 3,
        maxProcessorName: 256, maxErrorString: 256, processFailedErrorClass: nil)

    /// MPICH 4.0 (`MPI_COMM_WORLD ((MPI_Comm)0x44000000)`, `MPI_FLOAT ((MPI_Datatype)0x4c00040a)`,
    /// `MPI_DOUBLE 0x4c00080b`, `MPI_BYTE 0x4c00010d`, `MPI_SUM (MPI_Op)(0x58000003)`,
    /// `MPI_ERRORS_RETURN ((MPI_Errhandler)0x54000001)`); `MPI_IN_PLACE (void *) -1`,
    /// `MPI_STATUS_IGNORE (MPI_Status *)1`, `MPI_MAX_PROCESSOR_NAME 128`, `MPI_MAX_ERROR_STRING 512`,
    /// `MPIX_ERR_PROC_FAILED` = `MPICH_ERR_FIRST_MPIX+1` = 101.
    static let mpich = MPIConstants(
        commWorld: .value(0x4400_0000), float: .value(0x4c00_040a), double: .value(0x4c00_080b),
        byte: .value(0x4c00_010d), sum: .value(0x5800_0003), errorsReturn: .value(0x5400_0001),
        inPlace: -1, statusIgnore: 1, threadMultiple: 3, maxProcessorName: 128, maxErrorString: 512,
        processFailedErrorClass: 101)
}
