/// Splits `count` elements into pieces MPI can address: its counts are C `int`, so no piece has
/// more than `limit` (default `Int32.max`) elements. Yields `(offset, count)` pairs covering
/// `0..<count` in order; nothing for a count of 0.
struct Chunks: Sequence {
    let count: Int
    let limit: Int

    init(count: Int, limit: Int = Int(Int32.max)) {
        precondition(count >= 0 && limit > 0, "Chunks: count \(count), limit \(limit)")
        self.count = count
        self.limit = limit
    }

    func makeIterator() -> AnyIterator<(offset: Int, count: Int32)> {
        var offset = 0
        return AnyIterator {
            guard offset < count else { return nil }
            let piece = Swift.min(limit, count - offset)
            defer { offset += piece }
            return (offset, Int32(piece))
        }
    }
}
