// Shape arithmetic shared by the views, the ops and the backends.

/// Helpers for shapes and strides (element counts, row-major layout, broadcasting).
public enum Shape {
    /// Number of elements of `shape` (1 for rank 0).
    public static func count(_ shape: [Int]) -> Int { shape.reduce(1, *) }

    /// Row-major (C-order) strides of `shape`, in elements.
    public static func contiguousStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var running = 1
        for d in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[d] = running
            running *= max(shape[d], 1)
        }
        return strides
    }

    /// The broadcast of two shapes (NumPy rules: align on the right; sizes equal or 1), or nil.
    public static func broadcast(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = max(a.count, b.count)
        var out = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            if da == db || db == 1 { out[i] = da } else if da == 1 { out[i] = db } else { return nil }
        }
        return out
    }

    /// Normalises a possibly negative axis for a tensor of `rank`; preconditions it is in range.
    public static func axis(_ axis: Int, rank: Int, op: String) -> Int {
        let a = axis < 0 ? axis + rank : axis
        precondition(a >= 0 && a < max(rank, 1), "\(op): axis \(axis) out of range for rank \(rank)")
        return a
    }
}
