import XCTest
@testable import Distributed

/// Loading the installed MPI libraries (without initialising them): family detection, bound
/// functions, resolved handles, and the family check against the launcher. Each library that is not
/// installed is skipped.
final class MPILibraryTests: XCTestCase {
    func load(_ name: String) throws -> MPILibrary {
        switch try MPILibrary.search([name]) {
        case .loaded(let library): return library
        case .notFound: throw XCTSkip("\(name) is not installed")
        }
    }

    func testOpenMPI() throws {
        let library = try load("libmpi.so.40")
        XCTAssertEqual(library.family, .openMPI)
        XCTAssertTrue(library.version.hasPrefix("Open MPI v"), library.version)
        XCTAssertFalse(library.version.contains("\n"))
        // Predefined handles are the addresses of the exported globals.
        let resolver = try XCTUnwrap(SymbolResolver.open("libmpi.so.40").resolver)
        XCTAssertEqual(library.commWorld.pointer, resolver.address("ompi_mpi_comm_world"))
        XCTAssertEqual(library.float.pointer, resolver.address("ompi_mpi_float"))
        XCTAssertEqual(library.sum.pointer, resolver.address("ompi_mpi_op_sum"))
        XCTAssertNotNil(library.commWorld.pointer)
        XCTAssertEqual(library.inPlace, UnsafeRawPointer(bitPattern: 1))
        XCTAssertNil(library.statusIgnore)
        XCTAssertFalse(library.isInitialized)
        XCTAssertFalse(library.isFinalized)
    }

    func testMPICH() throws {
        let library = try load("libmpich.so.12")
        XCTAssertEqual(library.family, .mpich)
        XCTAssertTrue(library.version.hasPrefix("MPICH Version:"), library.version)
        XCTAssertEqual(library.commWorld.integer, 0x4400_0000)
        XCTAssertEqual(library.float.integer, 0x4c00_040a)
        XCTAssertEqual(library.inPlace, UnsafeRawPointer(bitPattern: -1))
        XCTAssertEqual(library.statusIgnore, UnsafeMutableRawPointer(bitPattern: 1))
    }

    /// Open MPI's launcher with MPICH's library: refused before MPI is initialised, naming both.
    func testFamilyMismatchIsRefused() throws {
        _ = try load("libmpich.so.12")
        let launched = try LaunchEnvironment(variables: ["OMPI_COMM_WORLD_SIZE": "2", "MD2_MPI_LIBRARY": "libmpich.so.12"])
        XCTAssertThrowsError(try launched.loadLibrary()) { error in
            XCTAssertEqual(error as? DistributedError, .familyMismatch(
                launcher: "Open MPI's mpirun (OMPI_COMM_WORLD_SIZE=2)", launcherFamily: .openMPI,
                library: "libmpich.so.12", libraryFamily: .mpich))
            XCTAssertEqual("\(error)", "launched by Open MPI's mpirun (OMPI_COMM_WORLD_SIZE=2) but the loaded library "
                + "libmpich.so.12 is MPICH (this launcher runs only Open MPI processes): launch with that library's own mpirun, or set MD2_MPI_LIBRARY to a library of Open MPI")
        }
    }

    /// A shared library that is not MPI: the missing symbol is named.
    func testNonMPILibrary() throws {
        XCTAssertThrowsError(try MPILibrary.search(["libm.so.6"])) { error in
            XCTAssertEqual(error as? DistributedError, .symbolMissing(library: "libm.so.6", symbol: "MPI_Init_thread"))
        }
    }
}
