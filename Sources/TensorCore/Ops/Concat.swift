// Concatenation and stacking along a dimension; the gradient of each input is its slice.

/// Concatenates tensors (same rank, dtype, backend; equal sizes except along `axis`).
public func concat(_ tensors: [Tensor], axis: Int) -> Tensor {
    precondition(!tensors.isEmpty, "concat: no tensors")
    let first = tensors[0]
    let a = Shape.axis(axis, rank: first.rank, op: "concat")
    var shape = first.shape
    shape[a] = 0
    for t in tensors {
        var s = t.shape
        precondition(t.rank == first.rank && t.dtype == first.dtype && t.backend === first.backend,
                     "concat: \(t.dtype) \(t.shape) with \(first.dtype) \(first.shape)")
        s[a] = first.shape[a]
        precondition(s == first.shape, "concat: shapes \(first.shape) and \(t.shape) differ outside axis \(a)")
        shape[a] += t.shape[a]
    }
    let y = first.backend.allocate(shape: shape, dtype: first.dtype)
    var start = 0
    var ranges: [(Int, Int)] = []
    for t in tensors {
        let n = t.shape[a]
        if n > 0 { first.backend.copy(t.detached(), into: y.narrowed(a, start: start, length: n)) }
        ranges.append((start, n))
        start += n
    }
    guard let tape = Tape.active(tensors) else { return y }
    return tape.record("concat", y, tensors) { g, need in
        ranges.enumerated().map { k, r in need[k] ? g.narrowed(a, start: r.0, length: r.1) : nil }
    }
}

/// Stacks tensors of equal shape along a new dimension `axis`.
public func stack(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
    precondition(!tensors.isEmpty, "stack: no tensors")
    return concat(tensors.map { $0.unsqueezed(axis) }, axis: axis)
}
