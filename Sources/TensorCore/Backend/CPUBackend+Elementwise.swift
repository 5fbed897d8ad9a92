import Kernels

extension CPUBackend {
    public func randomNormal(shape: [Int], mean: Float, standardDeviation: Float, key: UInt64) -> Tensor {
        let (out, p) = output(shape)
        withExtendedLifetime(out) { fillNormal(p, count: out.count, key: key, mean: mean, standardDeviation: standardDeviation) }
        return out
    }

    public func unary(_ op: UnaryOp, _ x: Tensor) -> Tensor {
        let (xc, xp) = input(x)
        let (y, yp) = output(x.shape)
        withExtendedLifetime((xc, y)) { unaryForward(op, xp, yp, count: x.count) }
        return y
    }

    public func unaryBackward(_ op: UnaryOp, input x: Tensor?, output y: Tensor?, gradOutput: Tensor) -> Tensor {
        let xc = x.map { contiguous($0) }, yc = y.map { contiguous($0) }
        let (gc, gp) = input(gradOutput)
        let (d, dp) = output(gradOutput.shape)
        withExtendedLifetime((xc, yc, gc, d)) {
            Kernels.unaryBackward(op, x: xc.map { UnsafePointer(floats($0)) }, y: yc.map { UnsafePointer(floats($0)) },
                                  gradOutput: gp, gradInput: dp, count: gradOutput.count)
        }
        return d
    }

    public func binary(_ op: BinaryOp, _ a: Tensor, _ b: Tensor) -> Tensor {
        precondition(a.shape == b.shape, "binary \(op): shapes \(a.shape) and \(b.shape)")
        let (out, op_) = output(a.shape)
        withExtendedLifetime((a, b, out)) {
            let plan = BroadcastPlan(shape: a.shape, aStrides: a.strides, bStrides: b.strides)
            binaryForward(op, plan, a: floats(a), b: floats(b), out: op_)
        }
        return out
    }

    public func compare(_ op: ComparisonOp, _ a: Tensor, _ b: Tensor) -> Tensor {
        precondition(a.shape == b.shape, "compare \(op): shapes \(a.shape) and \(b.shape)")
        let out = allocate(shape: a.shape, dtype: .bool)
        withExtendedLifetime((a, b, out)) {
            let plan = BroadcastPlan(shape: a.shape, aStrides: a.strides, bStrides: b.strides)
            compareForward(op, plan, a: floats(a), b: floats(b), out: typed(out, UInt8.self))
        }
        return out
    }

    public func select(_ mask: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
        precondition(mask.shape == a.shape && a.shape == b.shape && mask.dtype == .bool,
                     "select: mask \(mask.dtype) \(mask.shape), a \(a.shape), b \(b.shape)")
        let (out, p) = output(a.shape)
        withExtendedLifetime((mask, a, b, out)) {
            selectForward(shape: a.shape, mask: typed(mask, UInt8.self), maskStrides: mask.strides,
                          a: floats(a), aStrides: a.strides, b: floats(b), bStrides: b.strides, out: p)
        }
        return out
    }

    public func accumulate(_ source: Tensor, into destination: Tensor) {
        precondition(source.shape == destination.shape, "accumulate: \(source.shape) into \(destination.shape)")
        if source.count == 0 { return }
        withExtendedLifetime((source, destination)) {
            if source.isContiguous && destination.isContiguous {
                addInPlace(floats(destination), floats(source), count: source.count)
            } else {
                let plan = BroadcastPlan(shape: destination.shape, aStrides: destination.strides, bStrides: source.strides)
                addInPlace(plan, dst: floats(destination), src: floats(source))
            }
        }
    }

    public func sum(_ x: Tensor, axes: [Int]) -> Tensor {
        var shape = x.shape
        for a in axes { shape[a] = 1 }
        if axes.isEmpty { return contiguous(x) }
        if axes.count == x.rank || Shape.count(shape) == 1 {
            let (xc, xp) = input(x)
            let (out, op_) = output(shape)
            withExtendedLifetime((xc, out)) { op_[0] = sumAll(xp, count: x.count) }
            return out
        }
        // One axis at a time, from the innermost: each pass sees (outer, reduced, inner).
        var current = contiguous(x)
        for a in axes.sorted(by: >) where current.shape[a] != 1 {
            var next = current.shape
            next[a] = 1
            let outer = Shape.count(Array(current.shape[..<a])), inner = Shape.count(Array(current.shape[(a + 1)...]))
            let (out, op_) = output(next)
            withExtendedLifetime((current, out)) {
                sumAxis(floats(current), outer: outer, reduced: current.shape[a], inner: inner, out: op_)
            }
            current = out
        }
        return current
    }

    public func minAlong(_ x: Tensor, axis: Int) -> (values: Tensor, indices: Tensor) {
        var shape = x.shape
        shape[axis] = 1
        let (xc, xp) = input(x)
        let (values, vp) = output(shape)
        let indices = allocate(shape: shape, dtype: .int64)
        let outer = Shape.count(Array(x.shape[..<axis])), inner = Shape.count(Array(x.shape[(axis + 1)...]))
        withExtendedLifetime((xc, values, indices)) {
            minAxis(xp, outer: outer, reduced: x.shape[axis], inner: inner, values: vp, indices: typed(indices, Int64.self))
        }
        return (values, indices)
    }

    public func minAlongBackward(gradOutput: Tensor, indices: Tensor, axis: Int, inputShape: [Int]) -> Tensor {
        let (gc, gp) = input(gradOutput)
        let ic = contiguous(indices)
        let (out, op_) = output(inputShape)
        let outer = Shape.count(Array(inputShape[..<axis])), inner = Shape.count(Array(inputShape[(axis + 1)...]))
        withExtendedLifetime((gc, ic, out)) {
            Kernels.minAxisBackward(gradOutput: gp, indices: typed(ic, Int64.self), outer: outer, reduced: inputShape[axis],
                                    inner: inner, gradInput: op_)
        }
        return out
    }
}
