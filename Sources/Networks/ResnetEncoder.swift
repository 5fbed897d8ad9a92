import TensorCore

/// The ResNet variants Monodepth2's `--num_layers` selects.
public enum ResNetDepth: Int, CaseIterable, Sendable {
    case resnet18 = 18, resnet34 = 34, resnet50 = 50, resnet101 = 101, resnet152 = 152

    /// Residual blocks per stage (layer1…layer4).
    public var blockCounts: [Int] {
        switch self {
        case .resnet18: return [2, 2, 2, 2]
        case .resnet34, .resnet50: return [3, 4, 6, 3]
        case .resnet101: return [3, 4, 23, 3]
        case .resnet152: return [3, 8, 36, 3]
        }
    }

    /// Bottleneck blocks (50/101/152) or basic blocks (18/34).
    public var usesBottleneck: Bool { rawValue >= 50 }

    /// Output channels per block relative to its width (4 for bottlenecks).
    public var expansion: Int { usesBottleneck ? Bottleneck.expansion : BasicBlock.expansion }

    /// Channels of the five encoder features: [64, 64, 128, 256, 512] or [64, 256, 512, 1024, 2048].
    public var featureChannels: [Int] { [64] + [64, 128, 256, 512].map { $0 * expansion } }
}

/// torchvision's ResNet (as `models.resnet18` etc. and Monodepth2's `ResNetMultiImageInput` build it),
/// with the state-dict layout `conv1`, `bn1`, `layer1`…`layer4`, `fc`. `conv1` takes 3·`inputImages`
/// channels. avgpool and fc are never run by Monodepth2 (fc is kept for the checkpoint keys).
public final class ResNet: Module {
    public let depth: ResNetDepth
    public let inputImages: Int
    public let conv1: Conv2d
    public let bn1: BatchNorm2d
    public let stages: [ResNetStage]
    public let fc: Linear

    /// Scratch initialisation as torchvision: convolutions Kaiming normal (fan_out, ReLU), BatchNorm
    /// weight 1 / bias 0, fc PyTorch's Linear default. Draws from `generator` in registration order.
    public convenience init(depth: ResNetDepth, inputImages: Int = 1, generator: inout RandomGenerator,
                            on backend: any Backend = CPUBackend.shared) {
        var w = WeightInitializer(generator: generator, backend: backend)
        self.init(depth: depth, inputImages: inputImages, initializer: &w)
        generator = w.generator!
    }

    /// Placeholder weights (zeros; BatchNorm identity) for loading a checkpoint: no random draws.
    public convenience init(depth: ResNetDepth, inputImages: Int = 1, on backend: any Backend = CPUBackend.shared) {
        var w = WeightInitializer(generator: nil, backend: backend)
        self.init(depth: depth, inputImages: inputImages, initializer: &w)
    }

    init(depth: ResNetDepth, inputImages: Int, initializer w: inout WeightInitializer) {
        precondition(inputImages >= 1, "ResNet: \(inputImages) input images")
        self.depth = depth
        self.inputImages = inputImages
        conv1 = w.kaimingConv(3 * inputImages, 64, kernel: 7, stride: 2, padding: 3)
        bn1 = w.batchNorm(64)
        var inChannels = 64
        var stages: [ResNetStage] = []
        for (index, count) in depth.blockCounts.enumerated() {
            let planes = 64 << index
            var blocks: [any ResidualBlock] = []
            for b in 0..<count {
                let stride = b == 0 && index > 0 ? 2 : 1
                if depth.usesBottleneck {
                    blocks.append(Bottleneck(inChannels: inChannels, planes: planes, stride: stride, using: &w))
                } else {
                    blocks.append(BasicBlock(inChannels: inChannels, planes: planes, stride: stride, using: &w))
                }
                inChannels = planes * depth.expansion
            }
            stages.append(ResNetStage(blocks))
        }
        self.stages = stages
        fc = w.linear(512 * depth.expansion, 1000)
    }

    public var entries: [ModuleEntry] {
        [.child("conv1", conv1), .child("bn1", bn1)]
            + stages.enumerated().map { .child("layer\($0.offset + 1)", $0.element) }
            + [.child("fc", fc)]
    }
}

/// Monodepth2's `ResnetEncoder(num_layers, pretrained, num_input_images)`: the ResNet under the key
/// prefix `encoder.`, returning five feature maps. Input (B, 3·inputImages, H, W) in [0, 1], normalised
/// inside as (x − 0.45)/0.225; H and W multiples of 32. Features at 1/2, 1/4, 1/8, 1/16, 1/32 of the
/// input size with `featureChannels` channels.
public final class ResnetEncoder: Module {
    public let resnet: ResNet

    /// Scratch initialisation (see `ResNet.init(depth:inputImages:generator:on:)`).
    public init(depth: ResNetDepth, inputImages: Int = 1, generator: inout RandomGenerator,
                on backend: any Backend = CPUBackend.shared) {
        resnet = ResNet(depth: depth, inputImages: inputImages, generator: &generator, on: backend)
    }

    /// Placeholder weights for loading a checkpoint (no random draws).
    public init(depth: ResNetDepth, inputImages: Int = 1, on backend: any Backend = CPUBackend.shared) {
        resnet = ResNet(depth: depth, inputImages: inputImages, on: backend)
    }

    init(depth: ResNetDepth, inputImages: Int, initializer w: inout WeightInitializer) {
        resnet = ResNet(depth: depth, inputImages: inputImages, initializer: &w)
    }

    public var entries: [ModuleEntry] { [.child("encoder", resnet)] }

    public var depth: ResNetDepth { resnet.depth }
    public var inputImages: Int { resnet.inputImages }
    /// `num_ch_enc`.
    public var featureChannels: [Int] { resnet.depth.featureChannels }

    /// (B, 3·inputImages, H, W) → [f0 … f4] (see the type's documentation).
    public func callAsFunction(_ image: Tensor) -> [Tensor] {
        precondition(image.rank == 4 && image.shape[1] == 3 * inputImages,
                     "ResnetEncoder: input \(image.shape), expected (B, \(3 * inputImages), H, W)")
        let x = (image - 0.45) / 0.225
        let f0 = resnet.bn1(resnet.conv1(x)).relu()
        var features = [f0]
        var y = maxPool2d(f0, kernel: 3, stride: 2, padding: 1)
        for stage in resnet.stages {
            y = stage(y)
            features.append(y)
        }
        return features
    }
}
