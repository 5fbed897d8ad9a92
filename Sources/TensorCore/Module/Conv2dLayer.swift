/// nn.Conv2d: keys `weight` (Cout, Cin, k, k) and, with a bias, `bias` (Cout).
public final class Conv2d: Module {
    public let weight: Parameter
    public let bias: Parameter?
    public let stride: Int
    public let padding: Int

    /// A convolution with PyTorch's default initialisation (weight and bias uniform in
    /// ±1/sqrt(fan_in), fan_in = Cin·k·k), drawn from `generator`.
    public convenience init(inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                            bias: Bool = true, generator: inout RandomGenerator, on backend: any Backend = CPUBackend.shared) {
        precondition(inChannels > 0 && outChannels > 0 && kernelSize > 0,
                     "Conv2d: \(inChannels) -> \(outChannels) channels, kernel \(kernelSize)")
        let bound = 1 / Float(inChannels * kernelSize * kernelSize).squareRoot()
        let w = Tensor.uniform([outChannels, inChannels, kernelSize, kernelSize], lower: -bound, upper: bound,
                               generator: &generator, on: backend)
        let b = bias ? Tensor.uniform([outChannels], lower: -bound, upper: bound, generator: &generator, on: backend) : nil
        self.init(weight: w, bias: b, stride: stride, padding: padding)
    }

    /// A convolution with the given weight (Cout, Cin, kh, kw) and optional bias (Cout).
    public init(weight: Tensor, bias: Tensor?, stride: Int = 1, padding: Int = 0) {
        precondition(weight.rank == 4 && (bias == nil || bias!.shape == [weight.shape[0]]),
                     "Conv2d: weight \(weight.shape), bias \(bias?.shape ?? [])")
        self.weight = Parameter(weight)
        self.bias = bias.map { Parameter($0) }
        self.stride = stride
        self.padding = padding
    }

    public var entries: [ModuleEntry] {
        var list: [ModuleEntry] = [.parameter("weight", weight)]
        if let bias { list.append(.parameter("bias", bias)) }
        return list
    }

    /// (N, Cin, H, W) → (N, Cout, Ho, Wo).
    public func callAsFunction(_ x: Tensor) -> Tensor {
        conv2d(x, weight: weight.value, bias: bias?.value, stride: stride, padding: padding)
    }
}
