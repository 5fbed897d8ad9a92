import Foundation

/// Whether a parallel launcher started this process, read from the variables each launcher sets,
/// and the communicator that follows: none or a world of one gives `SingleProcessCommunicator`
/// (MPI is never loaded: exactly the behaviour before this layer existed); a world of more gives an
/// `MPICommunicator`.
///
/// The variables, in the order they are believed (checked against Open MPI 4.1.4's and MPICH
/// 4.0.2's launchers here, and Slurm's `src/common/env.c` and `src/plugins/mpi/pmi2`):
/// 1. Open MPI's `mpirun`: `OMPI_COMM_WORLD_SIZE`, `OMPI_COMM_WORLD_RANK` (it sets `PMIX_RANK` too).
/// 2. PMI: `PMI_SIZE`, `PMI_RANK`. MPICH's and Intel MPI's Hydra `mpiexec` (recognised by its
///    `HYDI_CONTROL_FD` or `MPI_LOCALNRANKS`), or `srun --mpi=pmi2` and Cray's `srun`.
/// 3. PMIx without Open MPI's variables (`srun --mpi=pmix`, `prterun`): `PMIX_RANK`; the size comes
///    from Slurm when present, else only MPI knows it.
/// 4. Slurm's `srun`: `SLURM_PROCID` with `SLURM_STEP_NUM_TASKS` > 1. `SLURM_STEP_NUM_TASKS` is set
///    only for the tasks of a step that `srun` launched (`env_array_for_step`). A batch script
///    (`sbatch --ntasks=4`) or an `salloc` shell has `SLURM_PROCID=0` and `SLURM_NTASKS=4` but no
///    `SLURM_STEP_NUM_TASKS`: it is one process, so `SLURM_NTASKS` is never used.
///
/// The MPI launchers come before Slurm because `mpirun`/`mpiexec` inside an allocation start their
/// daemons with `srun` (one task per node), so their ranks inherit that step's `SLURM_*` variables.
public struct LaunchEnvironment: Sendable, Equatable {
    /// Who started the process.
    public enum Launcher: Sendable, Equatable, CustomStringConvertible {
        /// Open MPI's `mpirun`/`mpiexec`.
        case openMPI
        /// MPICH's or Intel MPI's Hydra `mpiexec`/`mpirun`.
        case hydra
        /// Another PMI launcher: `srun --mpi=pmi2`, Cray's `srun`.
        case pmi
        /// A PMIx launcher other than Open MPI's `mpirun` (`srun --mpi=pmix`, `prterun`).
        case pmix
        /// Slurm's `srun` with no MPI variables.
        case srun

        /// The launcher's name for messages.
        public var description: String {
            switch self {
            case .openMPI: return "Open MPI's mpirun"
            case .hydra: return "MPICH's mpiexec (Hydra)"
            case .pmi: return "a PMI launcher (srun --mpi=pmi2, Cray srun)"
            case .pmix: return "a PMIx launcher"
            case .srun: return "srun"
            }
        }

        /// The only MPI family whose processes can join this launcher's job, where there is one.
        public var requiredFamily: MPIFamily? {
            switch self {
            case .openMPI: return .openMPI
            case .hydra: return .mpich
            case .pmi, .pmix, .srun: return nil
            }
        }

        /// The family to look for first.
        var preferredFamily: MPIFamily? {
            switch self {
            case .openMPI: return .openMPI
            case .hydra, .pmi: return .mpich
            case .pmix, .srun: return nil
            }
        }
    }

    /// The launcher, nil when the process was started directly.
    public let launcher: Launcher?
    /// The world size the launcher announced; nil without a launcher or when it does not say (PMIx alone).
    public let announcedSize: Int?
    /// The variable that showed the launch (`OMPI_COMM_WORLD_SIZE=2`), for messages.
    public let evidence: String
    /// `MD2_MPI_LIBRARY`: when set, the only MPI library tried.
    public let libraryOverride: String?

    /// What to do.
    public enum Decision: Sendable, Equatable {
        /// Train alone; MPI is not loaded.
        case singleProcess
        /// Load MPI from the first loadable of `candidates` and join the launcher's job.
        case mpi(candidates: [String])
    }

    /// Reads the launcher variables from `variables` (the process environment, or a test's dictionary).
    /// Throws when a launcher variable holds something that is not a count.
    public init(variables: [String: String]) throws(DistributedError) {
        func count(_ name: String) throws(DistributedError) -> Int? {
            guard let text = variables[name] else { return nil }
            guard let value = Int(text.trimmingCharacters(in: .whitespaces)), value >= 0 else {
                throw .invalidLaunchVariable(name: name, value: text)
            }
            return value
        }
        let override = variables["MD2_MPI_LIBRARY"].flatMap { $0.isEmpty ? nil : $0 }
        libraryOverride = override
        let slurmStep = try count("SLURM_STEP_NUM_TASKS")
        let slurmRank = try count("SLURM_PROCID")
        if let size = try count("OMPI_COMM_WORLD_SIZE") {
            (launcher, announcedSize, evidence) = (.openMPI, size, "OMPI_COMM_WORLD_SIZE=\(size)")
        } else if let size = try count("PMI_SIZE"), try count("PMI_RANK") != nil {
            let hydra = variables["HYDI_CONTROL_FD"] != nil || variables["MPI_LOCALNRANKS"] != nil
            (launcher, announcedSize, evidence) = (hydra ? .hydra : .pmi, size, "PMI_SIZE=\(size)")
        } else if let rank = try count("PMIX_RANK") {
            let size = slurmRank != nil ? slurmStep : nil
            (launcher, announcedSize, evidence) = (.pmix, size, size.map { "PMIX_RANK=\(rank), SLURM_STEP_NUM_TASKS=\($0)" } ?? "PMIX_RANK=\(rank)")
        } else if slurmRank != nil, let size = slurmStep {
            (launcher, announcedSize, evidence) = (.srun, size, "SLURM_STEP_NUM_TASKS=\(size)")
        } else {
            (launcher, announcedSize, evidence) = (nil, nil, "no launcher variables")
        }
    }

    /// This process's environment.
    public static func current() throws(DistributedError) -> LaunchEnvironment {
        try LaunchEnvironment(variables: ProcessInfo.processInfo.environment)
    }

    /// Single process without a launcher or with a world of one; MPI otherwise (also when the
    /// launcher does not announce the size: then MPI tells).
    public var decision: Decision {
        guard let launcher, announcedSize.map({ $0 > 1 }) ?? true else { return .singleProcess }
        if let libraryOverride { return .mpi(candidates: [libraryOverride]) }
        return .mpi(candidates: MPILibrary.defaultCandidates(preferring: launcher.preferredFamily))
    }

    /// "Open MPI's mpirun (OMPI_COMM_WORLD_SIZE=2)", for messages.
    public var launcherDescription: String {
        launcher.map { "\($0) (\(evidence))" } ?? "no launcher"
    }

    /// The communicator for this process's environment (see the type's documentation).
    public static func communicator(options: MPICommunicator.Options = .init()) throws(DistributedError) -> any Communicator {
        try current().communicator(options: options)
    }

    /// The communicator for this environment: `SingleProcessCommunicator`, or MPI loaded from the
    /// decision's candidates, checked against the launcher (family, announced size).
    public func communicator(options: MPICommunicator.Options = .init()) throws(DistributedError) -> any Communicator {
        let library = try loadLibrary()
        guard let library else { return SingleProcessCommunicator() }
        let world = try MPICommunicator.world(library: library, options: options)
        if let announcedSize, world.size != announcedSize {
            let size = world.size
            world.finalize()
            throw .worldSizeMismatch(launcher: launcherDescription, expected: announcedSize, actual: size)
        }
        return world
    }

    /// The MPI library the decision calls for (nil: single process), not yet initialised. Throws the
    /// one-line errors: nothing loadable (naming what was tried and what to install), a library of
    /// the other family than the launcher's.
    func loadLibrary(search: ([String]) throws(DistributedError) -> MPILibrary.SearchOutcome = MPILibrary.search)
        throws(DistributedError) -> MPILibrary? {
        guard case .mpi(let candidates) = decision, let launcher else { return nil }
        switch try search(candidates) {
        case .loaded(let library):
            if let required = launcher.requiredFamily, library.family != required {
                throw .familyMismatch(launcher: launcherDescription, launcherFamily: required, library: library.path,
                                      libraryFamily: library.family)
            }
            return library
        case .notFound(let tried):
            throw .libraryMissing(launcher: launcherDescription, tried: tried, advice: installAdvice)
        }
    }

    /// What to do when no library loads.
    var installAdvice: String {
        if let libraryOverride {
            return "MD2_MPI_LIBRARY=\(libraryOverride) is not loadable: point it at the MPI library your launcher belongs to, or unset it"
        }
        let hint = (launcher?.preferredFamily).map(\.installHint)
            ?? "install Open MPI (Debian/Ubuntu: apt-get install openmpi-bin) or MPICH (apt-get install mpich)"
        return "\(hint), or set MD2_MPI_LIBRARY to the library's path"
    }
}
