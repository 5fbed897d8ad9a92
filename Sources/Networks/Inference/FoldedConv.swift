import TensorCore

/// An evaluation-mode convolution with its BatchNorm folded in (w' = w·γ/√(σ²+ε) per output channel,
/// b' = β + (b − μ)·γ/√(σ²+ε)), plus its padding and activation: one `fusedConv2d` call.
/// A snapshot: built from the modules' current values, it does not follow later weight changes.
struct FoldedConv {
    let weight: Tensor
    let bias: Tensor?
    let stride: Int
    let padding: Int
    let reflectionPadding: Int
    let activation: FusedActivation
    /// The Winograd transform of `weight` for 3×3 stride-1 "same" convolutions (nil otherwise).
    let winograd: Tensor?

    /// `conv` followed by `norm` (running statistics) and `activation`.
    init(_ conv: Conv2d, _ norm: BatchNorm2d?, activation: FusedActivation, reflectionPadding: Int = 0) {
        (weight, bias) = foldBatchNorm(conv, norm)
        stride = conv.stride
        padding = conv.padding
        self.reflectionPadding = reflectionPadding
        self.activation = activation
        let shape = weight.shape
        let same = (padding == 1 && reflectionPadding == 0) || (padding == 0 && reflectionPadding == 1)
        // Kernels use it only where it pays (`winogradApplies`: ≥ 64 channels in and out, enough tiles).
        winograd = shape[2] == 3 && shape[3] == 3 && stride == 1 && same && shape[0] >= 64 && shape[1] >= 64
            ? winogradWeights(weight) : nil
    }

    /// activation(conv(x) + residual).
    func callAsFunction(_ x: Tensor, residual: Tensor? = nil) -> Tensor {
        fusedConv2d(x, weight: weight, bias: bias, stride: stride, padding: padding, reflectionPadding: reflectionPadding,
                    residual: residual, activation: activation, winogradWeights: winograd)
    }
}

/// `conv`'s weight and bias with `norm`'s evaluation-mode affine map folded in (running statistics):
/// w' = w·γ/√(σ²+ε) per output channel, b' = β + (b − μ)·γ/√(σ²+ε); without `norm`, the conv's own
/// (contiguous) weight and bias. The one folding rule of the inference path and of model export.
public func foldBatchNorm(_ conv: Conv2d, _ norm: BatchNorm2d?) -> (weight: Tensor, bias: Tensor?) {
    let w = conv.weight.value.detached()
    let b = conv.bias?.value.detached()
    guard let norm else { return (w.contiguous(), b) }
    let scale = norm.weight.value.detached() / (norm.runningVariance.value.detached() + norm.epsilon).sqrt()
    let channels = w.shape[0]
    let weight = (w * scale.reshaped([channels, 1, 1, 1])).contiguous()
    let shifted = b.map { $0 - norm.runningMean.value.detached() } ?? -norm.runningMean.value.detached()
    return (weight, norm.bias.value.detached() + shifted * scale)
}
