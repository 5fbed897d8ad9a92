/// An MPI library loaded at run time with `dlopen`, its family detected from its symbols, its
/// functions bound with `dlsym` and its predefined handles resolved. Nothing MPI is linked into the
/// package, so everything builds and runs where no MPI is installed.
///
/// Immutable after loading and safe to share between threads; whether MPI itself may be called from
/// several threads at once depends on the thread level `MPI_Init_thread` provided
/// (`MPICommunicator.threadLevel`). Loading does not initialise MPI; `initialize()` does.
public final class MPILibrary: @unchecked Sendable {
    /// The name or path the library was opened by (`libmpi.so.40`, or `$MD2_MPI_LIBRARY`).
    public let path: String
    /// Open MPI or the MPICH ABI.
    public let family: MPIFamily
    /// The first line of `MPI_Get_library_version` (`Open MPI v4.1.4, ...`, `MPICH Version: 4.0.2`).
    public let version: String

    let constants: MPIConstants
    let common: MPICommonFunctions
    let calls: MPIFamilyCalls
    /// The predefined handles this layer uses, resolved for this library.
    let commWorld: MPIHandle, float: MPIHandle, double: MPIHandle, byte: MPIHandle, sum: MPIHandle
    let errorsReturn: MPIHandle

    /// The library names tried when `MD2_MPI_LIBRARY` is unset: the `preferred` family's first (the
    /// launcher's own), then the others, then the unversioned `libmpi.so`.
    public static func defaultCandidates(preferring preferred: MPIFamily?) -> [String] {
        let families = preferred.map { first in [first] + MPIFamily.allCases.filter { $0 != first } } ?? MPIFamily.allCases
        return families.flatMap(\.libraryNames) + ["libmpi.so"]
    }

    /// The outcome of a search: a library, or the names tried (with the loader's reason where a
    /// file existed but could not be loaded).
    enum SearchOutcome {
        case loaded(MPILibrary)
        case notFound(tried: [String])
    }

    /// Opens the first of `candidates` that `dlopen` accepts and binds it. A library that opens but
    /// is not usable MPI is an error (it is not skipped: it is what the user or system chose).
    static func search(_ candidates: [String]) throws(DistributedError) -> SearchOutcome {
        var tried: [String] = []
        for candidate in candidates {
            let (resolver, failure) = SymbolResolver.open(candidate)
            guard let resolver else {
                let missing = failure.contains("No such file") || failure.contains("not found")
                tried.append(missing ? candidate : "\(candidate) (\(failure))")
                continue
            }
            return .loaded(try MPILibrary(resolver))
        }
        return .notFound(tried: tried)
    }

    /// Binds an opened library: the family from its symbols (`ompi_mpi_comm_world` is exported only
    /// by Open MPI; the MPICH ABI is recognised by `MPI_Get_library_version`), then every function
    /// and predefined handle, failing on the first one missing.
    init(_ resolver: SymbolResolver) throws(DistributedError) {
        path = resolver.path
        common = try MPICommonFunctions(resolver)
        version = MPILibrary.libraryVersion(common.getLibraryVersion)
        if resolver.address("ompi_mpi_comm_world") != nil {
            family = .openMPI
            calls = .openMPI(try OpenMPIFunctions(resolver))
        } else if MPILibrary.isMPICHABI(version: version) {
            family = .mpich
            calls = .mpich(try MPICHFunctions(resolver))
        } else {
            throw .unsupportedLibrary(library: resolver.path, version: version.isEmpty ? "no version string" : version)
        }
        constants = family.constants
        func handle(_ handle: MPIConstants.Handle) throws(DistributedError) -> MPIHandle {
            switch handle {
            case .value(let value): return MPIHandle(value)
            case .symbol(let name):
                guard let address = resolver.address(name) else { throw .symbolMissing(library: resolver.path, symbol: name) }
                return MPIHandle(address)
            }
        }
        commWorld = try handle(constants.commWorld)
        float = try handle(constants.float)
        double = try handle(constants.double)
        byte = try handle(constants.byte)
        sum = try handle(constants.sum)
        errorsReturn = try handle(constants.errorsReturn)
    }

    /// True for the version strings of MPICH-ABI libraries: MPICH (`MPICH Version:`), Cray
    /// (`CRAY MPICH version`), Intel (`Intel(R) MPI Library`), MVAPICH (`MVAPICH2 Version`).
    static func isMPICHABI(version: String) -> Bool {
        let lower = version.lowercased()
        return lower.contains("mpich") || lower.contains("mvapich") || lower.contains("intel(r) mpi")
    }

    /// `MPI_Get_library_version`'s first line (callable before `MPI_Init`).
    private static func libraryVersion(_ get: @convention(c) (UnsafeMutablePointer<CChar>?, UnsafeMutablePointer<Int32>?) -> Int32) -> String {
        // MPI_MAX_LIBRARY_VERSION_STRING is 256 in Open MPI and 8192 in MPICH.
        var buffer = [CChar](repeating: 0, count: 8192 + 1)
        var length: Int32 = 0
        guard get(&buffer, &length) == 0 else { return "" }
        let text = String(decoding: buffer.prefix(Int(max(0, min(length, 8192)))).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return text.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: " \t\0") } ?? ""
    }
}

/// The handle-typed functions of the loaded family.
enum MPIFamilyCalls {
    case openMPI(OpenMPIFunctions)
    case mpich(MPICHFunctions)
}

extension Substring {
    fileprivate func trimmingCharacters(in characters: String) -> String {
        var text = self
        while let first = text.first, characters.contains(first) { text.removeFirst() }
        while let last = text.last, characters.contains(last) { text.removeLast() }
        return String(text)
    }
}
