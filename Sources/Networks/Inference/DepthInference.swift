import TensorCore

/// The evaluation-mode forward of a `ResnetEncoder` with no autodiff bookkeeping: BatchNorm folded
/// into the convolutions (running statistics), ReLU and the residual add fused into each conv.
/// Same inputs and outputs as `ResnetEncoder.callAsFunction` in eval mode. A snapshot of the
/// encoder's weights at construction: rebuild it after loading or training.
public final class EncoderInference {
    public let depth: ResNetDepth
    public let inputImages: Int
    private let stem: FoldedConv
    private let blocks: [[(main: [FoldedConv], shortcut: FoldedConv?)]]

    public init(_ encoder: ResnetEncoder) {
        let resnet = encoder.resnet
        depth = resnet.depth
        inputImages = resnet.inputImages
        stem = FoldedConv(resnet.conv1, resnet.bn1, activation: .relu)
        blocks = resnet.stages.map { stage in
            stage.blocks.map { block in
                let pairs = block.convolutions
                // Every main-path conv but the last: ReLU. The last: + shortcut, then ReLU.
                let main = pairs.map { FoldedConv($0.conv, $0.norm, activation: .relu) }
                let shortcut = block.downsample.map { FoldedConv($0.conv, $0.norm, activation: .identity) }
                return (main, shortcut)
            }
        }
    }

    /// (B, 3·inputImages, H, W) in [0, 1] → [f0 … f4] (see `ResnetEncoder`).
    public func callAsFunction(_ image: Tensor) -> [Tensor] {
        precondition(image.rank == 4 && image.shape[1] == 3 * inputImages,
                     "EncoderInference: input \(image.shape), expected (B, \(3 * inputImages), H, W)")
        let x = (image.detached() - 0.45) / 0.225
        let f0 = stem(x)
        var features = [f0]
        var y = maxPool2dInference(f0, kernel: 3, stride: 2, padding: 1)
        for stage in blocks {
            for block in stage {
                let shortcut = block.shortcut.map { $0(y) } ?? y
                var out = y
                for conv in block.main.dropLast() { out = conv(out) }
                y = block.main[block.main.count - 1](out, residual: shortcut)
            }
            features.append(y)
        }
        return features
    }
}

/// The forward of a `DepthDecoder` with no autodiff bookkeeping: reflection padding, bias, ELU /
/// sigmoid fused into each convolution, nearest upsampling fused with the skip concatenation.
/// Same outputs as `DepthDecoder.callAsFunction`. A snapshot of the decoder's weights.
public final class DepthDecoderInference {
    public let encoderChannels: [Int]
    public let scales: [Int]
    public let usesSkips: Bool
    private let upconvs: [(FoldedConv, FoldedConv)]
    private let dispconvs: [FoldedConv]

    public init(_ decoder: DepthDecoder) {
        encoderChannels = decoder.encoderChannels
        scales = decoder.scales
        usesSkips = decoder.usesSkips
        upconvs = decoder.upconvs.map { pair in
            (FoldedConv(pair.0.conv.conv, nil, activation: .elu, reflectionPadding: 1),
             FoldedConv(pair.1.conv.conv, nil, activation: .elu, reflectionPadding: 1))
        }
        dispconvs = decoder.dispconvs.map { FoldedConv($0.conv, nil, activation: .sigmoid, reflectionPadding: 1) }
    }

    /// The encoder's [f0 … f4] → sigmoid disparities at `scales`.
    public func callAsFunction(_ features: [Tensor]) -> DepthOutputs {
        precondition(features.count == 5 && zip(features, encoderChannels).allSatisfy { $0.rank == 4 && $0.shape[1] == $1 },
                     "DepthDecoderInference: features \(features.map(\.shape)) for channels \(encoderChannels)")
        var x = features[4].detached()
        var byScale: [Int: Tensor] = [:]
        for i in stride(from: 4, through: 0, by: -1) {
            x = upsampleNearest2Concat(upconvs[i].0(x), skip: usesSkips && i > 0 ? features[i - 1].detached() : nil)
            x = upconvs[i].1(x)
            if let k = scales.firstIndex(of: i) { byScale[i] = dispconvs[k](x) }
        }
        return DepthOutputs(scales: scales, disparities: scales.map { byScale[$0]! })
    }
}

/// Monocular depth prediction, encoder + depth decoder, evaluation mode, no autodiff: what
/// `test_simple.py` and `evaluate_depth.py` run. Build it after loading the weights:
///
/// ```swift
/// let predictor = DepthInference(encoder: encoder, decoder: decoder)
/// let disparity = predictor(image).disparity(scale: 0)   // (B, 1, H, W)
/// ```
public final class DepthInference {
    public let encoder: EncoderInference
    public let decoder: DepthDecoderInference

    public init(encoder: ResnetEncoder, decoder: DepthDecoder) {
        precondition(encoder.featureChannels == decoder.encoderChannels && encoder.inputImages == 1,
                     "DepthInference: encoder channels \(encoder.featureChannels) (\(encoder.inputImages) images), decoder expects \(decoder.encoderChannels)")
        self.encoder = EncoderInference(encoder)
        self.decoder = DepthDecoderInference(decoder)
    }

    /// (B, 3, H, W) in [0, 1], H and W multiples of 32 → disparities.
    public func callAsFunction(_ image: Tensor) -> DepthOutputs {
        precondition(image.rank == 4 && image.shape[2] % 32 == 0 && image.shape[3] % 32 == 0,
                     "DepthInference: input \(image.shape) (H and W must be multiples of 32)")
        return decoder(encoder(image))
    }
}
