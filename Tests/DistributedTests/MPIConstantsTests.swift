import Foundation
import XCTest
@testable import Distributed

/// The two families' constant tables: pinned to the values of Open MPI 4.1.4's and MPICH 4.0.2's
/// `mpi.h`, and, where those headers are installed (the -dev packages), read back from them.
final class MPIConstantsTests: XCTestCase {
    static let openMPIHeader = "/usr/lib/x86_64-linux-gnu/openmpi/include/mpi.h"
    static let mpichHeader = "/usr/include/x86_64-linux-gnu/mpich/mpi.h"

    func testOpenMPITable() {
        let table = MPIConstants.openMPI
        XCTAssertEqual(table.commWorld, .symbol("ompi_mpi_comm_world"))
        XCTAssertEqual(table.float, .symbol("ompi_mpi_float"))
        XCTAssertEqual(table.double, .symbol("ompi_mpi_double"))
        XCTAssertEqual(table.byte, .symbol("ompi_mpi_byte"))
        XCTAssertEqual(table.sum, .symbol("ompi_mpi_op_sum"))
        XCTAssertEqual(table.errorsReturn, .symbol("ompi_mpi_errors_return"))
        XCTAssertEqual(table.inPlace, 1)
        XCTAssertEqual(table.statusIgnore, 0)
        XCTAssertEqual(table.threadMultiple, 3)
        XCTAssertEqual(table.maxProcessorName, 256)
        XCTAssertEqual(table.maxErrorString, 256)
        XCTAssertNil(table.processFailedErrorClass)
    }

    func testMPICHTable() {
        let table = MPIConstants.mpich
        XCTAssertEqual(table.commWorld, .value(0x4400_0000))
        XCTAssertEqual(table.float, .value(0x4c00_040a))
        XCTAssertEqual(table.double, .value(0x4c00_080b))
        XCTAssertEqual(table.byte, .value(0x4c00_010d))
        XCTAssertEqual(table.sum, .value(0x5800_0003))
        XCTAssertEqual(table.errorsReturn, .value(0x5400_0001))
        XCTAssertEqual(table.inPlace, -1)
        XCTAssertEqual(table.statusIgnore, 1)
        XCTAssertEqual(table.threadMultiple, 3)
        XCTAssertEqual(table.maxProcessorName, 128)
        XCTAssertEqual(table.maxErrorString, 512)
        XCTAssertEqual(table.processFailedErrorClass, 101)
    }

    /// `#define NAME VALUE` lines of a header, the value with casts and parentheses removed.
    func defines(_ path: String) throws -> [String: String] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var found: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard parts.count >= 3, parts[0] == "#define" else { continue }
            var value = parts[2...].joined(separator: " ")
            if let comment = value.range(of: "/*") { value = String(value[..<comment.lowerBound]) }
            for noise in ["(MPI_Comm)", "(MPI_Datatype)", "(MPI_Op)", "(MPI_Errhandler)", "(MPI_Status *)", "(void *)", "((void *)", "(", ")"] {
                value = value.replacingOccurrences(of: noise, with: "")
            }
            found[parts[1]] = value.trimmingCharacters(in: .whitespaces)
        }
        return found
    }

    func testMPICHTableAgainstInstalledHeader() throws {
        guard FileManager.default.fileExists(atPath: Self.mpichHeader) else {
            throw XCTSkip("MPICH's mpi.h not installed (\(Self.mpichHeader); Debian: libmpich-dev)")
        }
        let header = try defines(Self.mpichHeader)
        let table = MPIConstants.mpich
        func value(_ name: String) -> Int32? {
            header[name].flatMap { UInt32($0.replacingOccurrences(of: "0x", with: ""), radix: 16) }.map { Int32(bitPattern: $0) }
        }
        XCTAssertEqual(table.commWorld, value("MPI_COMM_WORLD").map(MPIConstants.Handle.value))
        XCTAssertEqual(table.float, value("MPI_FLOAT").map(MPIConstants.Handle.value))
        XCTAssertEqual(table.double, value("MPI_DOUBLE").map(MPIConstants.Handle.value))
        XCTAssertEqual(table.byte, value("MPI_BYTE").map(MPIConstants.Handle.value))
        XCTAssertEqual(table.sum, value("MPI_SUM").map(MPIConstants.Handle.value))
        XCTAssertEqual(table.errorsReturn, value("MPI_ERRORS_RETURN").map(MPIConstants.Handle.value))
        XCTAssertEqual(header["MPI_IN_PLACE"], "-1")
        XCTAssertEqual(header["MPI_STATUS_IGNORE"], "1")
        XCTAssertEqual(header["MPI_THREAD_MULTIPLE"], "3")
        XCTAssertEqual(header["MPI_MAX_PROCESSOR_NAME"].flatMap { Int($0) }, table.maxProcessorName)
        XCTAssertEqual(header["MPI_MAX_ERROR_STRING"].flatMap { Int($0) }, table.maxErrorString)
        XCTAssertEqual(header["MPICH_ERR_FIRST_MPIX"].flatMap { Int32($0) }.map { $0 + 1 }, table.processFailedErrorClass)
        XCTAssertEqual(header["MPIX_ERR_PROC_FAILED"], "MPICH_ERR_FIRST_MPIX+1")
    }

    func testOpenMPITableAgainstInstalledHeader() throws {
        guard FileManager.default.fileExists(atPath: Self.openMPIHeader) else {
            throw XCTSkip("Open MPI's mpi.h not installed (\(Self.openMPIHeader); Debian: libopenmpi-dev)")
        }
        let header = try defines(Self.openMPIHeader)
        let table = MPIConstants.openMPI
        func global(_ name: String) -> MPIConstants.Handle? {
            // `OMPI_PREDEFINED_GLOBAL( MPI_Comm, ompi_mpi_comm_world)` -> ompi_mpi_comm_world
            header[name].flatMap { $0.split(separator: ",").last }.map { .symbol($0.trimmingCharacters(in: .whitespaces)) }
        }
        XCTAssertEqual(global("MPI_COMM_WORLD"), table.commWorld)
        XCTAssertEqual(global("MPI_FLOAT"), table.float)
        XCTAssertEqual(global("MPI_DOUBLE"), table.double)
        XCTAssertEqual(global("MPI_BYTE"), table.byte)
        XCTAssertEqual(global("MPI_SUM"), table.sum)
        XCTAssertEqual(global("MPI_ERRORS_RETURN"), table.errorsReturn)
        XCTAssertEqual(header["MPI_IN_PLACE"], "1")
        XCTAssertEqual(header["OPAL_MAX_PROCESSOR_NAME"].flatMap { Int($0) }, table.maxProcessorName)
        XCTAssertEqual(header["OPAL_MAX_ERROR_STRING"].flatMap { Int($0) }, table.maxErrorString)
        // MPI_STATUS_IGNORE is `((MPI_Status *) 0)` in C (one of two definitions; the other is C++).
        let text = try String(contentsOfFile: Self.openMPIHeader, encoding: .utf8)
        XCTAssertTrue(text.contains("#define MPI_STATUS_IGNORE ((MPI_Status *) 0)"))
        // The thread levels are an enum in Open MPI: SINGLE, FUNNELED, SERIALIZED, MULTIPLE.
        XCTAssertNotNil(text.range(of: #"MPI_THREAD_SINGLE,\s*MPI_THREAD_FUNNELED,\s*MPI_THREAD_SERIALIZED,\s*MPI_THREAD_MULTIPLE"#,
                                   options: .regularExpression))
    }

    func testLibraryCandidatesAndVersionRecognition() {
        XCTAssertEqual(MPILibrary.defaultCandidates(preferring: nil), ["libmpi.so.40", "libmpi.so.12", "libmpich.so.12", "libmpi.so"])
        XCTAssertEqual(MPILibrary.defaultCandidates(preferring: .mpich), ["libmpi.so.12", "libmpich.so.12", "libmpi.so.40", "libmpi.so"])
        XCTAssertTrue(MPILibrary.isMPICHABI(version: "MPICH Version:\t4.0.2"))
        XCTAssertTrue(MPILibrary.isMPICHABI(version: "Intel(R) MPI Library 2021.10 for Linux* OS"))
        XCTAssertTrue(MPILibrary.isMPICHABI(version: "MPI VERSION    : CRAY MPICH version 8.1.27"))
        XCTAssertTrue(MPILibrary.isMPICHABI(version: "MVAPICH2 Version      :\t2.3.7"))
        XCTAssertFalse(MPILibrary.isMPICHABI(version: "Open MPI v4.1.4, package: Debian OpenMPI"))
    }

    /// Handles as C arguments: Open MPI's addresses and MPICH's integers survive the round trip,
    /// including MPICH's negative ones (duplicated communicators are 0x84000000 and up).
    func testHandleBitPatterns() {
        XCTAssertEqual(MPIHandle(Int32(0x4400_0000)).integer, 0x4400_0000)
        XCTAssertEqual(MPIHandle(Int32(bitPattern: 0x8400_0002)).integer, Int32(bitPattern: 0x8400_0002))
        let address = UnsafeMutableRawPointer(bitPattern: 0x7f12_3456_7890)
        XCTAssertEqual(MPIHandle(address).pointer, address)
        XCTAssertNil(MPIHandle(nil).pointer)
    }
}
