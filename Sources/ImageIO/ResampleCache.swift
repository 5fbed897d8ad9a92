/// Resampling tables kept between resizes of same-size images (a data loader resizes every frame
/// from the same few sizes); building a LANCZOS table costs a `sin` per tap. Owned by one user
/// (e.g. one loader worker), never shared between threads.
public final class ResampleCache {
    private struct Key: Hashable {
        let inputSize: Int
        let outputSize: Int
        let filter: ResampleFilter
    }

    /// More distinct sizes than this (not a loader's pattern) just restart the cache.
    private static let capacity = 32
    private var tables: [Key: ResampleCoefficients] = [:]

    /// Whether large resizes may split their rows across threads. A data loader's workers are
    /// already one per core: their resizes stay on the worker's thread (nested splitting only
    /// adds hand-offs between threads that compete for the same cores).
    public let threaded: Bool

    public init(threaded: Bool = true) {
        self.threaded = threaded
    }

    func coefficients(inputSize: Int, outputSize: Int, filter: ResampleFilter) -> ResampleCoefficients {
        let key = Key(inputSize: inputSize, outputSize: outputSize, filter: filter)
        if let table = tables[key] { return table }
        let table = ResampleCoefficients(inputSize: inputSize, outputSize: outputSize, filter: filter)
        if tables.count >= Self.capacity { tables.removeAll(keepingCapacity: true) }
        tables[key] = table
        return table
    }
}
