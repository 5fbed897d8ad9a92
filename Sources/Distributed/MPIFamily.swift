/// The two binary interfaces of MPI libraries in use. Their function signatures are the same C
/// prototypes, but their handles (`MPI_Comm`, `MPI_Datatype`, `MPI_Op`, `MPI_Request`, ...) differ in
/// type and value, so a program must know which one it talks to.
public enum MPIFamily: String, Sendable, CaseIterable {
    /// Open MPI (`libmpi.so.40`): handles are pointers, the predefined ones addresses of exported
    /// globals (`MPI_COMM_WORLD` is `&ompi_mpi_comm_world`).
    case openMPI = "Open MPI"
    /// The MPICH ABI (MPICH, Intel MPI, Cray MPICH, MVAPICH; `libmpi.so.12`, `libmpich.so.12`):
    /// handles are 32-bit integers, the predefined ones fixed values from `mpi.h`.
    case mpich = "MPICH"

    /// The constants of this family's `mpi.h`.
    var constants: MPIConstants {
        switch self {
        case .openMPI: return .openMPI
        case .mpich: return .mpich
        }
    }

    /// Library file names to try for this family, in order.
    var libraryNames: [String] {
        switch self {
        case .openMPI: return ["libmpi.so.40"]
        case .mpich: return ["libmpi.so.12", "libmpich.so.12"]
        }
    }

    /// One clause of the missing-library message: what to install for this family.
    var installHint: String {
        switch self {
        case .openMPI: return "install Open MPI (Debian/Ubuntu: apt-get install openmpi-bin)"
        case .mpich: return "install MPICH (Debian/Ubuntu: apt-get install mpich) or load your cluster's MPI module"
        }
    }
}
