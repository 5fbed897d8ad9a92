import TensorCore

/// nn.Linear: keys `weight` (out, in) and `bias` (out). ResNet's classifier `fc` is one; Monodepth2
/// never runs it, but it is part of the encoder's state dict (`encoder.fc.*`).
public final class Linear: Module {
    public let weight: Parameter
    public let bias: Parameter

    /// A layer with the given weight (out, in) and bias (out).
    public init(weight: Tensor, bias: Tensor) {
        precondition(weight.rank == 2 && bias.shape == [weight.shape[0]], "Linear: weight \(weight.shape), bias \(bias.shape)")
        self.weight = Parameter(weight)
        self.bias = Parameter(bias)
    }

    public var entries: [ModuleEntry] { [.parameter("weight", weight), .parameter("bias", bias)] }

    /// (N, in) → (N, out) = x·Wᵀ + b.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(x.rank == 2 && x.shape[1] == weight.value.shape[1],
                     "Linear: input \(x.shape) for weight \(weight.value.shape)")
        return matmul(x, weight.value.transposed()) + bias.value
    }
}
