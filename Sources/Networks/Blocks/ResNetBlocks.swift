import TensorCore

/// A ResNet shortcut projection, torchvision's `downsample` Sequential: keys `0.*` (1×1 conv with
/// the block's stride, no bias) and `1.*` (BatchNorm2d).
public final class Downsample: Module {
    public let conv: Conv2d
    public let norm: BatchNorm2d

    init(_ inChannels: Int, _ outChannels: Int, stride: Int, using w: inout WeightInitializer) {
        conv = w.kaimingConv(inChannels, outChannels, kernel: 1, stride: stride)
        norm = w.batchNorm(outChannels)
    }

    public var entries: [ModuleEntry] { [.child("0", conv), .child("1", norm)] }

    public func callAsFunction(_ x: Tensor) -> Tensor { norm(conv(x)) }
}

/// One residual block of a ResNet stage (BasicBlock or Bottleneck). `convolutions` lists the main
/// path's (conv, batch norm) pairs in order; every pair but the last is followed by ReLU, the last
/// is added to the shortcut before the final ReLU.
public protocol ResidualBlock: Module {
    var convolutions: [(conv: Conv2d, norm: BatchNorm2d)] { get }
    var downsample: Downsample? { get }
    /// (N, Cin, H, W) → (N, Cout, H/stride, W/stride).
    func callAsFunction(_ x: Tensor) -> Tensor
}

extension ResidualBlock {
    /// The block's forward: conv→BN(→ReLU) along the main path, + shortcut, ReLU.
    func residualForward(_ x: Tensor) -> Tensor {
        let pairs = convolutions
        var out = x
        for (index, pair) in pairs.enumerated() {
            out = pair.norm(pair.conv(out))
            if index < pairs.count - 1 { out = out.relu() }
        }
        let shortcut = downsample.map { $0(x) } ?? x
        return (out + shortcut).relu()
    }
}

/// torchvision BasicBlock (ResNet-18/34): conv3×3(stride)→BN→ReLU→conv3×3→BN, + shortcut, ReLU.
/// Keys: `conv1`, `bn1`, `conv2`, `bn2`, `downsample.{0,1}`.
public final class BasicBlock: ResidualBlock {
    public static let expansion = 1
    public let conv1: Conv2d, bn1: BatchNorm2d
    public let conv2: Conv2d, bn2: BatchNorm2d
    public let downsample: Downsample?

    init(inChannels: Int, planes: Int, stride: Int, using w: inout WeightInitializer) {
        conv1 = w.kaimingConv(inChannels, planes, kernel: 3, stride: stride, padding: 1)
        bn1 = w.batchNorm(planes)
        conv2 = w.kaimingConv(planes, planes, kernel: 3, padding: 1)
        bn2 = w.batchNorm(planes)
        downsample = stride != 1 || inChannels != planes
            ? Downsample(inChannels, planes, stride: stride, using: &w) : nil
    }

    public var entries: [ModuleEntry] {
        var list: [ModuleEntry] = [.child("conv1", conv1), .child("bn1", bn1), .child("conv2", conv2), .child("bn2", bn2)]
        if let downsample { list.append(.child("downsample", downsample)) }
        return list
    }

    public var convolutions: [(conv: Conv2d, norm: BatchNorm2d)] { [(conv1, bn1), (conv2, bn2)] }

    public func callAsFunction(_ x: Tensor) -> Tensor { residualForward(x) }
}

/// torchvision Bottleneck (ResNet-50/101/152; stride on the 3×3 conv, as torchvision 0.2.1):
/// 1×1→BN→ReLU→3×3(stride)→BN→ReLU→1×1(×4)→BN, + shortcut, ReLU.
/// Keys: `conv1`, `bn1`, `conv2`, `bn2`, `conv3`, `bn3`, `downsample.{0,1}`.
public final class Bottleneck: ResidualBlock {
    public static let expansion = 4
    public let conv1: Conv2d, bn1: BatchNorm2d
    public let conv2: Conv2d, bn2: BatchNorm2d
    public let conv3: Conv2d, bn3: BatchNorm2d
    public let downsample: Downsample?

    init(inChannels: Int, planes: Int, stride: Int, using w: inout WeightInitializer) {
        let out = planes * Bottleneck.expansion
        conv1 = w.kaimingConv(inChannels, planes, kernel: 1)
        bn1 = w.batchNorm(planes)
        conv2 = w.kaimingConv(planes, planes, kernel: 3, stride: stride, padding: 1)
        bn2 = w.batchNorm(planes)
        conv3 = w.kaimingConv(planes, out, kernel: 1)
        bn3 = w.batchNorm(out)
        downsample = stride != 1 || inChannels != out
            ? Downsample(inChannels, out, stride: stride, using: &w) : nil
    }

    public var entries: [ModuleEntry] {
        var list: [ModuleEntry] = [.child("conv1", conv1), .child("bn1", bn1), .child("conv2", conv2), .child("bn2", bn2),
                                   .child("conv3", conv3), .child("bn3", bn3)]
        if let downsample { list.append(.child("downsample", downsample)) }
        return list
    }

    public var convolutions: [(conv: Conv2d, norm: BatchNorm2d)] { [(conv1, bn1), (conv2, bn2), (conv3, bn3)] }

    public func callAsFunction(_ x: Tensor) -> Tensor { residualForward(x) }
}

/// A ResNet stage (`layer1`…`layer4`): residual blocks keyed "0", "1", … run in sequence.
public final class ResNetStage: Module {
    public let blocks: [any ResidualBlock]
    init(_ blocks: [any ResidualBlock]) { self.blocks = blocks }
    public var entries: [ModuleEntry] { blocks.enumerated().map { .child(String($0.offset), $0.element) } }
    public func callAsFunction(_ x: Tensor) -> Tensor { blocks.reduce(x) { $1($0) } }
}
