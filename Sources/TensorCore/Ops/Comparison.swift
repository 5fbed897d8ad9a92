// Comparisons (bool masks, no gradient), selection by mask (gradient routed by the mask), and
// dtype conversion.

func compareOp(_ op: ComparisonOp, _ name: String, _ a: Tensor, _ b: Tensor) -> Tensor {
    let shape = broadcastShape(name, a, b)
    return a.backend.compare(op, a.detached().expanded(to: shape), b.detached().expanded(to: shape))
}

/// a < b elementwise (bool, broadcasting).
public func less(_ a: Tensor, _ b: Tensor) -> Tensor { compareOp(.less, "less", a, b) }
/// a ≤ b elementwise.
public func lessEqual(_ a: Tensor, _ b: Tensor) -> Tensor { compareOp(.lessEqual, "lessEqual", a, b) }
/// a > b elementwise.
public func greater(_ a: Tensor, _ b: Tensor) -> Tensor { compareOp(.greater, "greater", a, b) }
/// a ≥ b elementwise.
public func greaterEqual(_ a: Tensor, _ b: Tensor) -> Tensor { compareOp(.greaterEqual, "greaterEqual", a, b) }
/// a == b elementwise.
public func equal(_ a: Tensor, _ b: Tensor) -> Tensor { compareOp(.equal, "equal", a, b) }

/// mask ? a : b elementwise with broadcasting (torch.where); the gradient follows the mask.
public func select(_ mask: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
    precondition(mask.dtype == .bool, "select: mask must be bool, got \(mask.dtype) \(mask.shape)")
    let ab = broadcastShape("select", a, b)
    guard let shape = Shape.broadcast(mask.shape, ab) else {
        preconditionFailure("select: mask \(mask.shape) does not broadcast with \(a.shape) and \(b.shape)")
    }
    let m = mask.expanded(to: shape)
    let y = a.backend.select(m, a.detached().expanded(to: shape), b.detached().expanded(to: shape))
    guard let tape = Tape.active(a, b) else { return y }
    let sa = a.shape, sb = b.shape
    return tape.record("select", y, [a, b]) { g, need in
        let zero = Tensor.zeros([], on: g.backend)
        return [need[0] ? select(m, g, zero).summed(toShape: sa) : nil,
                need[1] ? select(m, zero, g).summed(toShape: sb) : nil]
    }
}

extension Tensor {
    /// The values converted to `dtype` (no gradient; float → integer truncates toward zero).
    public func converted(to type: DType) -> Tensor {
        if type == dtype { return detached() }
        return backend.convert(detached(), to: type)
    }
}
