import Dispatch

/// A raw pointer that may cross into worker closures. Kernels own the memory discipline:
/// each chunk writes a disjoint range.
public struct SendablePointer<T>: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<T>
    public init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
}

/// Work splitting across the machine's cores.
/// CONTRACT (used by every kernel family): `Parallel.forEach(count, minimumWork:)` runs `body(i)`
/// for every i in 0..<count, possibly concurrently, and returns when all are done. Work smaller
/// than about 0.5 ms runs inline on the caller, since waking a thread costs ~40 µs here.
public enum Parallel {
    /// Number of worker threads used for large jobs.
    public static let threadCount: Int = max(1, System.activeProcessorCount)

    /// Runs `body` for each index in `0..<count`. `estimatedWork` is a rough cost of the whole job
    /// in floating-point operations (or bytes touched); small jobs run inline.
    public static func forEach(_ count: Int, estimatedWork: Int = .max, _ body: (Int) -> Void) {
        if count <= 0 { return }
        if count == 1 || threadCount == 1 || estimatedWork < 200_000 {
            for index in 0..<count { body(index) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let box = UncheckedBox(body)
            DispatchQueue.concurrentPerform(iterations: count) { index in box.value(index) }
        }
    }
}

private struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

enum System {
    static var activeProcessorCount: Int {
        #if os(Linux)
        return Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        #else
        return 2
        #endif
    }
}

#if canImport(Glibc)
import Glibc
#endif
