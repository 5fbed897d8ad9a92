// Sums and means over all or given dimensions (optionally keeping them), and the minimum along
// a dimension with the index of its FIRST occurrence (torch.min(x, dim)).

extension Tensor {
    /// Σ of all elements (rank 0).
    public func sum() -> Tensor { sum(axes: Array(0..<rank), keepingDimensions: false) }

    /// Σ over `axes` (negative values count from the end), keeping them as size 1 if asked.
    public func sum(axes: [Int], keepingDimensions keep: Bool = false) -> Tensor {
        precondition(dtype == .float32, "sum: needs float32, got \(dtype) \(shape)")
        let normalized = Array(Set(axes.map { Shape.axis($0, rank: rank, op: "sum") })).sorted()
        var kept = shape
        for a in normalized { kept[a] = 1 }
        let outShape = keep ? kept : shape.enumerated().filter { !normalized.contains($0.offset) }.map(\.element)
        let raw = backend.sum(detached(), axes: normalized)
        let y = Tensor(storage: raw.storage, shape: outShape, strides: Shape.contiguousStrides(outShape), offset: raw.offset, dtype: dtype)
        guard let tape = Tape.active(self) else { return y }
        let inShape = shape
        return tape.record("sum", y, [self]) { g, _ in [g.reshaped(kept).expanded(to: inShape)] }
    }

    /// Mean of all elements (rank 0).
    public func mean() -> Tensor { sum() / Float(Swift.max(count, 1)) }

    /// Mean over `axes`, keeping them as size 1 if asked.
    public func mean(axes: [Int], keepingDimensions keep: Bool = false) -> Tensor {
        let normalized = Set(axes.map { Shape.axis($0, rank: rank, op: "mean") })
        let n = normalized.reduce(1) { $0 * shape[$1] }
        return sum(axes: Array(normalized), keepingDimensions: keep) / Float(Swift.max(n, 1))
    }

    /// Minimum along `axis` and the int64 index of the FIRST minimum (NaN counts as minimum);
    /// the gradient goes to that index only.
    public func min(axis: Int, keepingDimensions keep: Bool = false) -> (values: Tensor, indices: Tensor) {
        precondition(dtype == .float32, "min: needs float32, got \(dtype) \(shape)")
        let a = Shape.axis(axis, rank: rank, op: "min")
        precondition(shape[a] > 0, "min: empty dimension \(a) in \(shape)")
        let (values, indices) = backend.minAlong(detached(), axis: a)
        var outShape = shape
        if keep { outShape[a] = 1 } else { outShape.remove(at: a) }
        let v = values.reshaped(outShape), i = indices.reshaped(outShape)
        guard let tape = Tape.active(self) else { return (v, i) }
        let inShape = shape, keptIndices = indices
        var kept = shape
        kept[a] = 1
        let tracked = tape.record("min", v, [self]) { g, _ in
            [g.backend.minAlongBackward(gradOutput: g.reshaped(kept), indices: keptIndices, axis: a, inputShape: inShape)]
        }
        return (tracked, i)
    }
}
