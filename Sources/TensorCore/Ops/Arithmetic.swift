// Broadcasting add / subtract / multiply / divide between tensors, and the tensor-scalar forms.
// Gradients of broadcast operands are summed back to their shapes.

/// The shape both operands broadcast to; stops with the op name and both shapes otherwise.
func broadcastShape(_ op: String, _ a: Tensor, _ b: Tensor) -> [Int] {
    precondition(a.dtype == .float32 && b.dtype == .float32, "\(op): needs float32 operands, got \(a.dtype) \(a.shape) and \(b.dtype) \(b.shape)")
    precondition(a.backend === b.backend, "\(op): operands on backends \(a.backend.name) and \(b.backend.name)")
    guard let shape = Shape.broadcast(a.shape, b.shape) else {
        preconditionFailure("\(op): shapes \(a.shape) and \(b.shape) do not broadcast")
    }
    return shape
}

func binaryOp(_ op: BinaryOp, _ name: String, _ a: Tensor, _ b: Tensor) -> Tensor {
    let shape = broadcastShape(name, a, b)
    let y = a.backend.binary(op, a.detached().expanded(to: shape), b.detached().expanded(to: shape))
    guard let tape = Tape.active(a, b) else { return y }
    let sa = a.shape, sb = b.shape
    switch op {
    case .add:
        return tape.record(name, y, [a, b]) { g, need in
            [need[0] ? g.summed(toShape: sa) : nil, need[1] ? g.summed(toShape: sb) : nil]
        }
    case .subtract:
        return tape.record(name, y, [a, b]) { g, need in
            [need[0] ? g.summed(toShape: sa) : nil, need[1] ? (-g).summed(toShape: sb) : nil]
        }
    case .multiply:
        // Keep only the operands a gradient reads: ga = g·b, gb = g·a.
        let av: Tensor? = tape.tracks(b) ? a.detached() : nil, bv: Tensor? = tape.tracks(a) ? b.detached() : nil
        return tape.record(name, y, [a, b]) { g, need in
            [need[0] ? (g * bv!).summed(toShape: sa) : nil, need[1] ? (g * av!).summed(toShape: sb) : nil]
        }
    case .divide:
        // torch div backward: ga = g / b, gb = −g · a / (b · b); a is kept only when b needs it.
        let av: Tensor? = tape.tracks(b) ? a.detached() : nil, bv = b.detached()
        return tape.record(name, y, [a, b]) { g, need in
            [need[0] ? (g / bv).summed(toShape: sa) : nil, need[1] ? (-g * av! / (bv * bv)).summed(toShape: sb) : nil]
        }
    case .maximum, .minimum:
        // The gradient goes to the selected operand (to `a` on ties).
        let av = a.detached(), bv = b.detached()
        return tape.record(name, y, [a, b]) { g, need in
            let pickA = op == .maximum ? greaterEqual(av, bv) : lessEqual(av, bv)
            let zero = Tensor.zeros([], on: g.backend)
            return [need[0] ? select(pickA, g, zero).summed(toShape: sa) : nil,
                    need[1] ? select(pickA, zero, g).summed(toShape: sb) : nil]
        }
    }
}

/// Elementwise a + b with broadcasting.
public func + (a: Tensor, b: Tensor) -> Tensor { binaryOp(.add, "add", a, b) }
/// Elementwise a − b with broadcasting.
public func - (a: Tensor, b: Tensor) -> Tensor { binaryOp(.subtract, "sub", a, b) }
/// Elementwise a · b with broadcasting.
public func * (a: Tensor, b: Tensor) -> Tensor { binaryOp(.multiply, "mul", a, b) }
/// Elementwise a / b with broadcasting.
public func / (a: Tensor, b: Tensor) -> Tensor { binaryOp(.divide, "div", a, b) }
/// Elementwise maximum with broadcasting (gradient to `a` on ties).
public func maximum(_ a: Tensor, _ b: Tensor) -> Tensor { binaryOp(.maximum, "maximum", a, b) }
/// Elementwise minimum with broadcasting (gradient to `a` on ties).
public func minimum(_ a: Tensor, _ b: Tensor) -> Tensor { binaryOp(.minimum, "minimum", a, b) }

// MARK: Tensor–scalar forms (one pass, no broadcast tensor)

/// x + s
public func + (x: Tensor, s: Float) -> Tensor { x.unaryOp(.affine(scale: 1, shift: s), "add_scalar") }
/// s + x
public func + (s: Float, x: Tensor) -> Tensor { x.unaryOp(.affine(scale: 1, shift: s), "add_scalar") }
/// x − s
public func - (x: Tensor, s: Float) -> Tensor { x.unaryOp(.affine(scale: 1, shift: -s), "sub_scalar") }
/// s − x
public func - (s: Float, x: Tensor) -> Tensor { x.unaryOp(.affine(scale: -1, shift: s), "rsub_scalar") }
/// x · s
public func * (x: Tensor, s: Float) -> Tensor { x.unaryOp(.affine(scale: s, shift: 0), "mul_scalar") }
/// s · x
public func * (s: Float, x: Tensor) -> Tensor { x.unaryOp(.affine(scale: s, shift: 0), "mul_scalar") }
/// x / s (as x · (1/s); exact when s is a power of two)
public func / (x: Tensor, s: Float) -> Tensor { x.unaryOp(.affine(scale: 1 / s, shift: 0), "div_scalar") }
/// s / x
public func / (s: Float, x: Tensor) -> Tensor { x.unaryOp(.reciprocal(numerator: s), "rdiv_scalar") }
/// −x
public prefix func - (x: Tensor) -> Tensor { x.unaryOp(.negate, "neg") }
