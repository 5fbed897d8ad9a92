/// Everything that can go wrong in the communicator layer. Each case prints as one line that names
/// what failed and what to do about it (`description`), so a front end can print it and exit.
public enum DistributedError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A parallel launcher started this process (`launcher` names it and the variable that showed it)
    /// but none of the `tried` MPI libraries could be loaded; `advice` says what to install or set.
    case libraryMissing(launcher: String, tried: [String], advice: String)
    /// The library at `library` loaded but lacks `symbol` (not an MPI library, or a truncated one).
    case symbolMissing(library: String, symbol: String)
    /// The library at `library` is MPI but of neither supported family (Open MPI, MPICH ABI);
    /// `version` is what `MPI_Get_library_version` said.
    case unsupportedLibrary(library: String, version: String)
    /// The launcher belongs to one MPI family and the loaded library to the other: the process could
    /// never join the launcher's job.
    case familyMismatch(launcher: String, launcherFamily: MPIFamily, library: String, libraryFamily: MPIFamily)
    /// A launcher variable holds something that is not a count (`OMPI_COMM_WORLD_SIZE=two`).
    case invalidLaunchVariable(name: String, value: String)
    /// The launcher said the world has `expected` processes but MPI reports `actual`.
    case worldSizeMismatch(launcher: String, expected: Int, actual: Int)
    /// An MPI call returned an error code; `message` is `MPI_Error_string`'s text for it.
    case callFailed(call: String, code: Int32, message: String)
    /// A collective did not complete within the communicator's timeout. `detail` says what is known
    /// about the peers (for example which ranks on this host are still alive).
    case timedOut(call: String, seconds: Double, rank: Int, detail: String)
    /// A collective could not complete because peer ranks died (`lostRanks`, found dead on this
    /// host after a timeout or named by the MPI library).
    case peerLost(call: String, rank: Int, lostRanks: [Int], detail: String)
    /// A caller error: a root outside the world, a buffer too large for the implementation.
    case invalidArgument(call: String, reason: String)
    /// The communicator was used after `finalize()`.
    case finalized(call: String)

    /// One line: what failed and what to do.
    public var description: String {
        switch self {
        case let .libraryMissing(launcher, tried, advice):
            return "launched by \(launcher) but no MPI library could be loaded (tried \(tried.joined(separator: ", "))): \(advice)"
        case let .symbolMissing(library, symbol):
            return "\(library) has no symbol \(symbol): it is not a usable MPI library; point MD2_MPI_LIBRARY at Open MPI's libmpi.so.40 or MPICH's libmpi.so.12"
        case let .unsupportedLibrary(library, version):
            return "\(library) is an MPI library of an unsupported family (\(version)): use Open MPI or an MPICH-ABI library (MPICH, Intel MPI, Cray MPICH) via MD2_MPI_LIBRARY"
        case let .familyMismatch(launcher, launcherFamily, library, libraryFamily):
            return "launched by \(launcher) but the loaded library \(library) is \(libraryFamily.rawValue) (this launcher runs only \(launcherFamily.rawValue) processes): launch with that library's own mpirun, or set MD2_MPI_LIBRARY to a library of \(launcherFamily.rawValue)"
        case let .invalidLaunchVariable(name, value):
            return "the launcher variable \(name)='\(value)' is not a count: unset it or launch with mpirun/srun"
        case let .worldSizeMismatch(launcher, expected, actual):
            return "\(launcher) announced \(expected) processes but MPI reports \(actual): the process did not join the launcher's job (mixed MPI installations?)"
        case let .callFailed(call, code, message):
            return "\(call) failed with MPI error \(code): \(message)"
        case let .timedOut(call, seconds, rank, detail):
            return "rank \(rank): \(call) did not complete within \(format(seconds)) s (\(detail)); a peer is stuck, dead or unreachable"
        case let .peerLost(call, rank, lostRanks, detail):
            let ranks = lostRanks.map(String.init).joined(separator: ", ")
            return "rank \(rank): lost rank\(lostRanks.count == 1 ? "" : "s") \(ranks) during \(call) (\(detail)); the job cannot continue: resume it from the last checkpoint"
        case let .invalidArgument(call, reason):
            return "\(call): \(reason)"
        case let .finalized(call):
            return "\(call) called after the communicator was finalized"
        }
    }

    private func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
