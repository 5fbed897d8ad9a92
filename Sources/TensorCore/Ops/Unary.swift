import Kernels

// Elementwise functions with their gradients (kernels in Kernels/Elementwise.swift):
// activations (ReLU, ELU α=1, sigmoid) and math (exp, log, sqrt, abs, sin, cos, pow, clamp).

extension Tensor {
    /// Applies a unary op and records its backward. The backward keeps only what it reads:
    /// the output for exp/sqrt/sigmoid/ELU, the input for the others, nothing for affine maps.
    func unaryOp(_ op: UnaryOp, _ name: String) -> Tensor {
        precondition(dtype == .float32, "\(name): needs float32, got \(dtype) \(shape)")
        let y = backend.unary(op, self)
        guard let tape = Tape.active(self) else { return y }
        let needsNothing: Bool
        switch op {
        case .negate, .affine, .sign: needsNothing = true
        default: needsNothing = false
        }
        let usesOutput = unaryBackwardUsesOutput(op)
        let x: Tensor? = needsNothing || usesOutput ? nil : detached()
        let out: Tensor? = !needsNothing && usesOutput ? y : nil
        return tape.record(name, y, [self]) { g, _ in
            [g.backend.unaryBackward(op, input: x, output: out, gradOutput: g)]
        }
    }

    /// max(x, 0); the gradient at exactly 0 is 0.
    public func relu() -> Tensor { unaryOp(.relu, "relu") }
    /// ELU with α = 1: x > 0 ? x : exp(x) − 1.
    public func elu() -> Tensor { unaryOp(.elu, "elu") }
    /// 1 / (1 + exp(−x)).
    public func sigmoid() -> Tensor { unaryOp(.sigmoid, "sigmoid") }
    /// e^x.
    public func exp() -> Tensor { unaryOp(.exp, "exp") }
    /// Natural logarithm.
    public func log() -> Tensor { unaryOp(.log, "log") }
    /// Square root.
    public func sqrt() -> Tensor { unaryOp(.sqrt, "sqrt") }
    /// |x| (gradient sign(x), 0 at 0).
    public func abs() -> Tensor { unaryOp(.abs, "abs") }
    /// sin x.
    public func sin() -> Tensor { unaryOp(.sin, "sin") }
    /// cos x.
    public func cos() -> Tensor { unaryOp(.cos, "cos") }
    /// x².
    public func squared() -> Tensor { unaryOp(.square, "square") }
    /// x^p (powf semantics).
    public func pow(_ p: Float) -> Tensor { unaryOp(.power(p), "pow") }
    /// sign(x) ∈ {−1, 0, 1} (zero gradient).
    public func sign() -> Tensor { unaryOp(.sign, "sign") }
    /// min(max(x, lower), upper); the gradient passes where lower ≤ x ≤ upper (inclusive, as torch).
    public func clamped(min lower: Float = -.infinity, max upper: Float = .infinity) -> Tensor {
        unaryOp(.clamp(lower: lower, upper: upper), "clamp")
    }
}
