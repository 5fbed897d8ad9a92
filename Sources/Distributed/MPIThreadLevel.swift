/// The thread support `MPI_Init_thread` provided (`MPI_THREAD_*`, the same values in both families).
public enum MPIThreadLevel: Int32, Sendable, Comparable, CustomStringConvertible {
    /// Only one thread exists.
    case single = 0
    /// Only the thread that initialised MPI calls it.
    case funneled = 1
    /// Any thread, one at a time.
    case serialized = 2
    /// Any thread, concurrently.
    case multiple = 3

    /// Ordered by the guarantees: single < funneled < serialized < multiple.
    public static func < (a: MPIThreadLevel, b: MPIThreadLevel) -> Bool { a.rawValue < b.rawValue }

    /// The C name (`MPI_THREAD_MULTIPLE`).
    public var description: String {
        switch self {
        case .single: return "MPI_THREAD_SINGLE"
        case .funneled: return "MPI_THREAD_FUNNELED"
        case .serialized: return "MPI_THREAD_SERIALIZED"
        case .multiple: return "MPI_THREAD_MULTIPLE"
        }
    }
}
