import TensorCore

/// nn.Linear: keys `weight` (out, in) and `bias` (out). ResNet's classifier `fc` is one; Monodepth2
/// never runs it, but it is part of the encoder's state dict (`encoder.fc.*`).
public final class Linear: Module {
    public let weight: Parameter
    public let bias: Parameter

    /// PyTorch's default initialisation: weight and bias uniform in ±1/sqrt(inFeatures).
    public init(inFeatures: Int, outFeatures: Int, generator: inout RandomGenerator,
                on backend: any Backend = CPUBackend.shared) {
        precondition(inFeatures > 0 && outFeatures > 0, "Linear: \(inFeatures) -> \(outFeatures) features")
        let bound = 1 / Float(inFeatures).squareRoot()
        weight = Parameter(Tensor.uniform([outFeatures, inFeatures], lower: -bound, upper: bound,
                                          generator: &generator, on: backend))
        bias = Parameter(Tensor.uniform([outFeatures], lower: -bound, upper: bound, generator: &generator, on: backend))
    }

    public var entries: [ModuleEntry] { [.parameter("weight", weight), .parameter("bias", bias)] }

    /// (N, in) → (N, out) = x·Wᵀ + b.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(x.rank == 2 && x.shape[1] == weight.value.shape[1],
                     "Linear: input \(x.shape) for weight \(weight.value.shape)")
        return matmul(x, weight.value.transposed()) + bias.value
    }
}
