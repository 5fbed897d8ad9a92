// Shape and stride views: reshape, permute/transpose, narrow/select, expand, squeeze/unsqueeze,
// contiguous. Views share storage (no copy) where the layout allows; each records its gradient.

extension Tensor {
    /// A view (or copy, when not contiguous) with `newShape`; one entry may be −1 (inferred).
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var shape = newShape
        if let i = shape.firstIndex(of: -1) {
            let known = shape.enumerated().filter { $0.offset != i }.map(\.element).reduce(1, *)
            precondition(known > 0 && count % known == 0, "reshape: cannot infer -1 in \(newShape) from \(self.shape)")
            shape[i] = count / known
        }
        precondition(Shape.count(shape) == count && shape.allSatisfy { $0 >= 0 },
                     "reshape: shape \(self.shape) (\(count) elements) to \(newShape)")
        let base = isContiguous ? detached() : backend.contiguousCopy(self)
        let y = Tensor(storage: base.storage, shape: shape, strides: Shape.contiguousStrides(shape), offset: base.offset, dtype: dtype)
        guard let tape = Tape.active(self) else { return y }
        let inShape = self.shape
        return tape.record("reshape", y, [self]) { g, _ in [g.reshaped(inShape)] }
    }

    /// Flattens dimensions `start...` into one.
    public func flattened(from start: Int = 0) -> Tensor {
        let s = Shape.axis(start, rank: rank, op: "flattened")
        return reshaped(Array(shape[..<s]) + [-1])
    }

    /// A view with dimensions reordered: result dimension i is input dimension `order[i]`.
    public func permuted(_ order: [Int]) -> Tensor {
        precondition(order.count == rank && Set(order) == Set(0..<rank), "permute: order \(order) for shape \(shape)")
        let y = Tensor(storage: storage, shape: order.map { shape[$0] }, strides: order.map { strides[$0] },
                       offset: offset, dtype: dtype)
        guard let tape = Tape.active(self) else { return y }
        var inverse = [Int](repeating: 0, count: order.count)
        for (i, d) in order.enumerated() { inverse[d] = i }
        return tape.record("permute", y, [self]) { g, _ in [g.permuted(inverse)] }
    }

    /// A view with two dimensions swapped (default: the last two, a matrix transpose).
    public func transposed(_ a: Int = -2, _ b: Int = -1) -> Tensor {
        let da = Shape.axis(a, rank: rank, op: "transposed"), db = Shape.axis(b, rank: rank, op: "transposed")
        var order = Array(0..<rank)
        order.swapAt(da, db)
        return permuted(order)
    }

    /// A view of `length` entries of dimension `axis` starting at `start` (x.narrow in PyTorch).
    public func narrowed(_ axis: Int, start: Int, length: Int) -> Tensor {
        let a = Shape.axis(axis, rank: rank, op: "narrow")
        precondition(start >= 0 && length >= 0 && start + length <= shape[a],
                     "narrow: \(start)..<\(start + length) of dimension \(a) in shape \(shape)")
        var newShape = shape
        newShape[a] = length
        let y = Tensor(storage: storage, shape: newShape, strides: strides, offset: offset + start * strides[a], dtype: dtype)
        guard let tape = Tape.active(self) else { return y }
        return tape.recordSlice("narrow", y, self, axis: a, start: start)
    }

    /// The slice at `index` of dimension `axis`, with that dimension removed.
    public func selecting(_ axis: Int, _ index: Int) -> Tensor {
        let a = Shape.axis(axis, rank: rank, op: "select")
        return narrowed(a, start: index, length: 1).squeezed(a)
    }

    /// A view with a size-1 dimension inserted at `axis` (0...rank).
    public func unsqueezed(_ axis: Int) -> Tensor {
        let a = axis < 0 ? axis + rank + 1 : axis
        precondition(a >= 0 && a <= rank, "unsqueeze: axis \(axis) for shape \(shape)")
        var s = shape, st = strides
        s.insert(1, at: a)
        st.insert(a < rank ? strides[a] * shape[a] : 1, at: a)
        return viewWithShape(s, strides: st, "unsqueeze")
    }

    /// A view with the size-1 dimension `axis` removed.
    public func squeezed(_ axis: Int) -> Tensor {
        let a = Shape.axis(axis, rank: rank, op: "squeeze")
        precondition(shape[a] == 1, "squeeze: dimension \(a) of \(shape) is not 1")
        var s = shape, st = strides
        s.remove(at: a)
        st.remove(at: a)
        return viewWithShape(s, strides: st, "squeeze")
    }

    /// Inserting/removing size-1 dimensions never needs a copy: keep the other strides.
    private func viewWithShape(_ s: [Int], strides st: [Int], _ op: String) -> Tensor {
        let y = Tensor(storage: storage, shape: s, strides: st, offset: offset, dtype: dtype)
        guard let tape = Tape.active(self) else { return y }
        let inShape = shape
        return tape.record(op, y, [self]) { g, _ in [g.reshaped(inShape)] }
    }

    /// A broadcast view with `newShape` (dimensions of size 1, or missing on the left, repeat
    /// with stride 0). The gradient sums over the broadcast dimensions.
    public func expanded(to newShape: [Int]) -> Tensor {
        precondition(newShape.count >= rank, "expand: \(shape) to \(newShape)")
        let lead = newShape.count - rank
        var st = [Int](repeating: 0, count: newShape.count)
        for d in 0..<rank {
            precondition(shape[d] == newShape[lead + d] || shape[d] == 1, "expand: \(shape) to \(newShape)")
            st[lead + d] = shape[d] == 1 && newShape[lead + d] != 1 ? 0 : strides[d]
        }
        if newShape == shape { return self }
        let y = Tensor(storage: storage, shape: newShape, strides: st, offset: offset, dtype: dtype)
        guard let tape = Tape.active(self) else { return y }
        let inShape = shape
        return tape.record("expand", y, [self]) { g, _ in [g.summed(toShape: inShape)] }
    }

    /// A contiguous tensor with the same values (self when already contiguous).
    public func contiguous() -> Tensor {
        if isContiguous { return self }
        let y = backend.contiguousCopy(self)
        guard let tape = Tape.active(self) else { return y }
        return tape.record("contiguous", y, [self]) { g, _ in [g] }
    }

    /// Sums a broadcast result back to `target` (a shape `self.shape` was broadcast from).
    func summed(toShape target: [Int]) -> Tensor {
        if shape == target { return self }
        let lead = rank - target.count
        var axes = Array(0..<lead)
        for d in 0..<target.count where target[d] == 1 && shape[lead + d] != 1 { axes.append(lead + d) }
        return sum(axes: axes, keepingDimensions: true).reshaped(target)
    }
}

extension Backend {
    /// A contiguous copy of any view.
    func contiguousCopy(_ t: Tensor) -> Tensor {
        let out = allocate(shape: t.shape, dtype: t.dtype)
        copy(t.detached(), into: out)
        return out
    }
}
