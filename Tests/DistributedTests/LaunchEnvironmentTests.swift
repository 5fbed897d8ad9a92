import XCTest
@testable import Distributed

/// Launcher detection and the decision it leads to, from injected environments (the variables each
/// launcher sets, as seen under Open MPI 4.1's mpirun, MPICH 4.0's Hydra and Slurm's source).
final class LaunchEnvironmentTests: XCTestCase {
    let openMPIFirst = ["libmpi.so.40", "libmpi.so.12", "libmpich.so.12", "libmpi.so"]
    let mpichFirst = ["libmpi.so.12", "libmpich.so.12", "libmpi.so.40", "libmpi.so"]

    func environment(_ variables: [String: String]) throws -> LaunchEnvironment {
        try LaunchEnvironment(variables: variables)
    }

    func testNoLauncherIsOneProcess() throws {
        let plain = try environment(["HOME": "/root", "PATH": "/usr/bin"])
        XCTAssertNil(plain.launcher)
        XCTAssertEqual(plain.decision, .singleProcess)
        XCTAssertNil(try plain.loadLibrary { _ in XCTFail("MPI must not be loaded"); return .notFound(tried: []) })
        XCTAssertTrue(try plain.communicator() is SingleProcessCommunicator)
    }

    func testOpenMPIMpirun() throws {
        // What `mpirun -np 2 env` shows under Open MPI 4.1.4 (rank 1).
        let launched = try environment(["OMPI_COMM_WORLD_SIZE": "2", "OMPI_COMM_WORLD_RANK": "1",
                                        "OMPI_COMM_WORLD_LOCAL_RANK": "1", "PMIX_RANK": "1", "PMIX_NAMESPACE": "1176109057"])
        XCTAssertEqual(launched.launcher, .openMPI)
        XCTAssertEqual(launched.announcedSize, 2)
        XCTAssertEqual(launched.decision, .mpi(candidates: openMPIFirst))
        XCTAssertEqual(launched.launcherDescription, "Open MPI's mpirun (OMPI_COMM_WORLD_SIZE=2)")
    }

    func testAWorldOfOneIsOneProcess() throws {
        let one = try environment(["OMPI_COMM_WORLD_SIZE": "1", "OMPI_COMM_WORLD_RANK": "0", "PMIX_RANK": "0"])
        XCTAssertEqual(one.launcher, .openMPI)
        XCTAssertEqual(one.decision, .singleProcess)
        XCTAssertTrue(try one.communicator() is SingleProcessCommunicator)
        XCTAssertEqual(try environment(["PMI_RANK": "0", "PMI_SIZE": "1"]).decision, .singleProcess)
        XCTAssertEqual(try environment(["SLURM_PROCID": "0", "SLURM_STEP_NUM_TASKS": "1", "SLURM_NTASKS": "1"]).decision,
                       .singleProcess)
    }

    func testHydraAndOtherPMILaunchers() throws {
        // `mpirun.mpich -np 2 env` (MPICH 4.0.2 Hydra), rank 0.
        let hydra = try environment(["PMI_RANK": "0", "PMI_SIZE": "2", "PMI_FD": "6", "HYDI_CONTROL_FD": "7",
                                     "MPI_LOCALNRANKS": "2", "MPI_LOCALRANKID": "0"])
        XCTAssertEqual(hydra.launcher, .hydra)
        XCTAssertEqual(hydra.launcher?.requiredFamily, .mpich)
        XCTAssertEqual(hydra.decision, .mpi(candidates: mpichFirst))
        // srun --mpi=pmi2 (Slurm's mpi_pmi2.c sets PMI_FD, PMI_RANK, PMI_SIZE): MPICH first, either family allowed.
        let pmi2 = try environment(["PMI_RANK": "3", "PMI_SIZE": "4", "PMI_FD": "9", "SLURM_PROCID": "3",
                                    "SLURM_STEP_NUM_TASKS": "4"])
        XCTAssertEqual(pmi2.launcher, .pmi)
        XCTAssertNil(pmi2.launcher?.requiredFamily)
        XCTAssertEqual(pmi2.decision, .mpi(candidates: mpichFirst))
    }

    func testPMIxAlone() throws {
        let pmix = try environment(["PMIX_RANK": "0", "PMIX_NAMESPACE": "prterun-x"])
        XCTAssertEqual(pmix.launcher, .pmix)
        XCTAssertNil(pmix.announcedSize)  // only MPI can tell
        XCTAssertEqual(pmix.decision, .mpi(candidates: openMPIFirst))
        let srunPMIx = try environment(["PMIX_RANK": "2", "SLURM_PROCID": "2", "SLURM_STEP_NUM_TASKS": "8"])
        XCTAssertEqual(srunPMIx.launcher, .pmix)
        XCTAssertEqual(srunPMIx.announcedSize, 8)
    }

    /// `srun` sets SLURM_STEP_NUM_TASKS for a step's tasks; a batch script (or an salloc shell) has
    /// SLURM_PROCID=0 and SLURM_NTASKS but no step variables: one process.
    func testSrunStepAgainstBatchScript() throws {
        let batch = try environment(["SLURM_JOB_ID": "200505", "SLURM_PROCID": "0", "SLURM_NTASKS": "4",
                                     "SLURM_NPROCS": "4", "SLURM_NNODES": "4", "SLURM_TASKS_PER_NODE": "1(x4)",
                                     "SLURM_LOCALID": "0", "SLURM_NODEID": "0"])
        XCTAssertNil(batch.launcher)
        XCTAssertEqual(batch.decision, .singleProcess)
        let step = try environment(["SLURM_JOB_ID": "200505", "SLURM_PROCID": "1", "SLURM_NTASKS": "4",
                                    "SLURM_STEP_ID": "0", "SLURM_STEP_NUM_TASKS": "4", "SLURM_STEP_NUM_NODES": "2"])
        XCTAssertEqual(step.launcher, .srun)
        XCTAssertEqual(step.announcedSize, 4)
        XCTAssertEqual(step.decision, .mpi(candidates: openMPIFirst))
    }

    /// mpirun inside an allocation starts its daemons with srun (one task per node), so its ranks also
    /// carry that step's SLURM_* variables: Open MPI's own variables win.
    func testMPILauncherInsideSlurmAllocation() throws {
        let nested = try environment(["OMPI_COMM_WORLD_SIZE": "8", "OMPI_COMM_WORLD_RANK": "5", "PMIX_RANK": "5",
                                      "SLURM_PROCID": "1", "SLURM_STEP_NUM_TASKS": "2", "SLURM_NTASKS": "2"])
        XCTAssertEqual(nested.launcher, .openMPI)
        XCTAssertEqual(nested.announcedSize, 8)
    }

    func testLibraryOverride() throws {
        let chosen = try environment(["OMPI_COMM_WORLD_SIZE": "2", "MD2_MPI_LIBRARY": "/opt/mpi/lib/libmpi.so.40"])
        XCTAssertEqual(chosen.decision, .mpi(candidates: ["/opt/mpi/lib/libmpi.so.40"]))
        // Without a launcher the override changes nothing: MPI is not loaded.
        XCTAssertEqual(try environment(["MD2_MPI_LIBRARY": "/opt/mpi/lib/libmpi.so.40"]).decision, .singleProcess)
    }

    func testMalformedLauncherVariable() {
        XCTAssertThrowsError(try environment(["OMPI_COMM_WORLD_SIZE": "two"])) { error in
            XCTAssertEqual(error as? DistributedError, .invalidLaunchVariable(name: "OMPI_COMM_WORLD_SIZE", value: "two"))
            XCTAssertEqual("\(error)", "the launcher variable OMPI_COMM_WORLD_SIZE='two' is not a count: unset it or launch with mpirun/srun")
        }
    }

    /// Launched but nothing loadable: one line naming the launcher, what was tried, what to install.
    func testMissingLibraryMessage() throws {
        let launched = try environment(["OMPI_COMM_WORLD_SIZE": "2", "OMPI_COMM_WORLD_RANK": "0"])
        XCTAssertThrowsError(try launched.loadLibrary { .notFound(tried: $0) }) { error in
            XCTAssertEqual("\(error)", "launched by Open MPI's mpirun (OMPI_COMM_WORLD_SIZE=2) but no MPI library could be loaded "
                + "(tried libmpi.so.40, libmpi.so.12, libmpich.so.12, libmpi.so): install Open MPI "
                + "(Debian/Ubuntu: apt-get install openmpi-bin), or set MD2_MPI_LIBRARY to the library's path")
        }
        let hydra = try environment(["PMI_RANK": "0", "PMI_SIZE": "2", "HYDI_CONTROL_FD": "7"])
        XCTAssertThrowsError(try hydra.loadLibrary { .notFound(tried: $0) }) { error in
            XCTAssertEqual("\(error)", "launched by MPICH's mpiexec (Hydra) (PMI_SIZE=2) but no MPI library could be loaded "
                + "(tried libmpi.so.12, libmpich.so.12, libmpi.so.40, libmpi.so): install MPICH (Debian/Ubuntu: apt-get "
                + "install mpich) or load your cluster's MPI module, or set MD2_MPI_LIBRARY to the library's path")
        }
        let srun = try environment(["SLURM_PROCID": "0", "SLURM_STEP_NUM_TASKS": "2"])
        XCTAssertThrowsError(try srun.loadLibrary { .notFound(tried: $0) }) { error in
            XCTAssertTrue("\(error)".hasSuffix("install Open MPI (Debian/Ubuntu: apt-get install openmpi-bin) or MPICH "
                + "(apt-get install mpich), or set MD2_MPI_LIBRARY to the library's path"), "\(error)")
        }
    }

    /// The real search with MD2_MPI_LIBRARY pointing at a file that does not exist: only it is tried.
    func testMissingOverrideLibrary() throws {
        let path = "/nonexistent/md2-tests/libmpi.so.40"
        let launched = try environment(["OMPI_COMM_WORLD_SIZE": "2", "MD2_MPI_LIBRARY": path])
        XCTAssertThrowsError(try launched.communicator()) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix("launched by Open MPI's mpirun (OMPI_COMM_WORLD_SIZE=2) but no MPI library could be loaded (tried \(path)): "
                + "MD2_MPI_LIBRARY=\(path) is not loadable: point it at the MPI library your launcher belongs to, or unset it"), text)
            XCTAssertFalse(text.contains("\n"))
        }
    }

    /// A file that exists but is not a shared library: the loader's reason is kept in the message.
    func testUnloadableOverrideKeepsTheLoaderReason() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("md2-not-a-library-\(getpid()).so")
        try Data("not ELF".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let launched = try environment(["OMPI_COMM_WORLD_SIZE": "2", "MD2_MPI_LIBRARY": file.path])
        XCTAssertThrowsError(try launched.communicator()) { error in
            guard case let .libraryMissing(_, tried, _) = error as? DistributedError else { return XCTFail("\(error)") }
            XCTAssertEqual(tried.count, 1)
            XCTAssertTrue(tried[0].hasPrefix("\(file.path) ("), tried[0])
        }
    }
}
