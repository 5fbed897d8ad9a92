import TensorCore

/// Where a network's initial weights come from: PyTorch's / torchvision's scratch initialisation
/// drawn from a generator, or cheap placeholders (zeros; BatchNorm keeps weight 1, bias 0, running
/// mean 0, variance 1) when a checkpoint will overwrite every value anyway.
struct WeightInitializer {
    /// nil: placeholders.
    var generator: RandomGenerator?
    let backend: any Backend

    /// Kaiming normal, fan_out, ReLU gain (torchvision's ResNet convolutions): std = sqrt(2 / (Cout·k·k)).
    mutating func kaimingConv(_ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0) -> Conv2d {
        let shape = [outChannels, inChannels, kernel, kernel]
        let weight: Tensor
        if generator != nil {
            let std = (2 / Float(outChannels * kernel * kernel)).squareRoot()
            weight = Tensor.normal(shape, standardDeviation: std, generator: &generator!, on: backend)
        } else {
            weight = Tensor.zeros(shape, on: backend)
        }
        return Conv2d(weight: weight, bias: nil, stride: stride, padding: padding)
    }

    /// PyTorch's default Conv2d (with bias): weight and bias uniform in ±1/sqrt(Cin·k·k).
    mutating func defaultConv(_ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0) -> Conv2d {
        if generator != nil {
            return Conv2d(inChannels: inChannels, outChannels: outChannels, kernelSize: kernel, stride: stride,
                          padding: padding, generator: &generator!, on: backend)
        }
        return Conv2d(weight: Tensor.zeros([outChannels, inChannels, kernel, kernel], on: backend),
                      bias: Tensor.zeros([outChannels], on: backend), stride: stride, padding: padding)
    }

    /// PyTorch's default Linear: weight and bias uniform in ±1/sqrt(inFeatures).
    mutating func linear(_ inFeatures: Int, _ outFeatures: Int) -> Linear {
        if generator != nil {
            let bound = 1 / Float(inFeatures).squareRoot()
            return Linear(weight: Tensor.uniform([outFeatures, inFeatures], lower: -bound, upper: bound, generator: &generator!, on: backend),
                          bias: Tensor.uniform([outFeatures], lower: -bound, upper: bound, generator: &generator!, on: backend))
        }
        return Linear(weight: Tensor.zeros([outFeatures, inFeatures], on: backend), bias: Tensor.zeros([outFeatures], on: backend))
    }

    func batchNorm(_ channels: Int) -> BatchNorm2d { BatchNorm2d(channels, on: backend) }
}
