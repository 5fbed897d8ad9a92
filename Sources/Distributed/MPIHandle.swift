/// An MPI handle (communicator, datatype, operation, error handler, request) of either family, kept as
/// its bit pattern: an address in Open MPI, a 32-bit integer in the MPICH ABI. Only the loaded
/// family's call wrappers (`MPILibrary+Calls.swift`) turn it back into a C argument.
struct MPIHandle: Hashable, Sendable {
    let bits: Int

    init(bits: Int) { self.bits = bits }
    /// An MPICH-ABI handle.
    init(_ value: Int32) { bits = Int(value) }
    /// An Open MPI handle.
    init(_ address: UnsafeMutableRawPointer?) { bits = Int(bitPattern: address) }

    /// As an Open MPI argument.
    var pointer: UnsafeMutableRawPointer? { UnsafeMutableRawPointer(bitPattern: bits) }
    /// As an MPICH-ABI argument.
    var integer: Int32 { Int32(truncatingIfNeeded: bits) }
}
