/// A trainable tensor held by a module. A class, so the module tree, the tape, the optimizer
/// and checkpoint loading all refer to the same slot.
public final class Parameter {
    /// The current value (replaced by loading; updated in place by optimizers).
    public var value: Tensor
    /// The accumulated gradient (same shape), or nil. `Tape.backward` adds to it;
    /// `Adam.zeroGradients()` clears it.
    public var grad: Tensor?
    /// Whether `Tape.watch(_: [Parameter])` tracks it (false freezes it).
    public var requiresGradient: Bool

    public init(_ value: Tensor, requiresGradient: Bool = true) {
        precondition(value.dtype == .float32, "Parameter: float32 only, got \(value.dtype) \(value.shape)")
        self.value = value.detached()
        self.requiresGradient = requiresGradient
    }

    /// grad += g (grad starts as g).
    func accumulateGradient(_ g: Tensor) {
        precondition(g.shape == value.shape, "Parameter: gradient \(g.shape) for value \(value.shape)")
        Tape.accumulate(g, into: &grad)
    }
}

/// A non-trainable tensor held by a module and saved in its state dict (BatchNorm running
/// statistics, `num_batches_tracked`).
public final class Buffer {
    public var value: Tensor
    public init(_ value: Tensor) { self.value = value.detached() }
}
