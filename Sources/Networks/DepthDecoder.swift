import Layers
import TensorCore

/// The sigmoid outputs of a depth decoder, one per requested scale (scale s is 1/2^s of the input
/// size): `disparity(scale:)` is Monodepth2's `outputs[("disp", s)]`, (B, outputChannels, H/2^s, W/2^s).
public struct DepthOutputs {
    /// The scales in the order the decoder was configured with.
    public let scales: [Int]
    /// The disparities in `scales` order.
    public let disparities: [Tensor]

    public init(scales: [Int], disparities: [Tensor]) {
        precondition(scales.count == disparities.count, "DepthOutputs: \(scales.count) scales, \(disparities.count) maps")
        self.scales = scales
        self.disparities = disparities
    }

    /// The disparity at `scale` (a programming error if the decoder does not produce it).
    public func disparity(scale: Int) -> Tensor {
        guard let index = scales.firstIndex(of: scale) else {
            preconditionFailure("DepthOutputs: no disparity at scale \(scale) (scales \(scales))")
        }
        return disparities[index]
    }
}

/// Monodepth2's `DepthDecoder(num_ch_enc, scales, num_output_channels, use_skips)`.
///
/// Keys `decoder.N.…` in the original's registration order: N = 0…9 are the ConvBlocks
/// upconv(4,0), upconv(4,1), …, upconv(0,1) (`decoder.N.conv.conv.{weight,bias}`), then one
/// dispconv (`decoder.N.conv.{weight,bias}`) per entry of `scales`, in that order.
public final class DepthDecoder: Module {
    /// `num_ch_dec`.
    public static let decoderChannels = [16, 32, 64, 128, 256]

    public let encoderChannels: [Int]
    public let scales: [Int]
    public let outputChannels: Int
    public let usesSkips: Bool
    /// upconvs[i] = (upconv(i,0), upconv(i,1)) for i = 0…4.
    public let upconvs: [(ConvBlock, ConvBlock)]
    /// One Conv3x3 per entry of `scales`, same order.
    public let dispconvs: [Conv3x3]

    /// Convolutions with PyTorch's default initialisation drawn from `generator`.
    public convenience init(encoderChannels: [Int], scales: [Int] = [0, 1, 2, 3], outputChannels: Int = 1,
                            usesSkips: Bool = true, generator: inout RandomGenerator,
                            on backend: any Backend = CPUBackend.shared) {
        var w = WeightInitializer(generator: generator, backend: backend)
        self.init(encoderChannels: encoderChannels, scales: scales, outputChannels: outputChannels, usesSkips: usesSkips,
                  initializer: &w)
        generator = w.generator!
    }

    /// Placeholder (zero) weights for loading a checkpoint: no random draws.
    public convenience init(encoderChannels: [Int], scales: [Int] = [0, 1, 2, 3], outputChannels: Int = 1,
                            usesSkips: Bool = true, on backend: any Backend = CPUBackend.shared) {
        var w = WeightInitializer(generator: nil, backend: backend)
        self.init(encoderChannels: encoderChannels, scales: scales, outputChannels: outputChannels, usesSkips: usesSkips,
                  initializer: &w)
    }

    init(encoderChannels: [Int], scales: [Int], outputChannels: Int, usesSkips: Bool, initializer w: inout WeightInitializer) {
        precondition(encoderChannels.count == 5, "DepthDecoder: \(encoderChannels.count) encoder channel counts, need 5")
        precondition(scales.allSatisfy { (0...3).contains($0) } && Set(scales).count == scales.count,
                     "DepthDecoder: scales \(scales) must be distinct values in 0...3")
        precondition(outputChannels >= 1, "DepthDecoder: \(outputChannels) output channels")
        self.encoderChannels = encoderChannels
        self.scales = scales
        self.outputChannels = outputChannels
        self.usesSkips = usesSkips
        let dec = DepthDecoder.decoderChannels
        var built: [Int: (ConvBlock, ConvBlock)] = [:]
        for i in stride(from: 4, through: 0, by: -1) {
            let first = ConvBlock(Conv3x3(w.defaultConv(i == 4 ? encoderChannels[4] : dec[i + 1], dec[i], kernel: 3)))
            let skip = usesSkips && i > 0 ? encoderChannels[i - 1] : 0
            let second = ConvBlock(Conv3x3(w.defaultConv(dec[i] + skip, dec[i], kernel: 3)))
            built[i] = (first, second)
        }
        upconvs = (0...4).map { built[$0]! }
        var heads: [Conv3x3] = []
        for s in scales { heads.append(Conv3x3(w.defaultConv(dec[s], outputChannels, kernel: 3))) }
        dispconvs = heads
    }

    public var entries: [ModuleEntry] {
        var blocks: [any Module] = []
        for i in stride(from: 4, through: 0, by: -1) { blocks += [upconvs[i].0, upconvs[i].1] }
        return [.child("decoder", ModuleList(blocks + dispconvs))]
    }

    /// features: the encoder's [f0 … f4] → sigmoid disparities at `scales`.
    public func callAsFunction(_ features: [Tensor]) -> DepthOutputs {
        precondition(features.count == 5 && zip(features, encoderChannels).allSatisfy { $0.rank == 4 && $0.shape[1] == $1 },
                     "DepthDecoder: features \(features.map(\.shape)) for channels \(encoderChannels)")
        var x = features[4]
        var byScale: [Int: Tensor] = [:]
        for i in stride(from: 4, through: 0, by: -1) {
            x = upsample(upconvs[i].0(x))
            if usesSkips && i > 0 { x = concat([x, features[i - 1]], axis: 1) }
            x = upconvs[i].1(x)
            if let k = scales.firstIndex(of: i) { byScale[i] = dispconvs[k](x).sigmoid() }
        }
        return DepthOutputs(scales: scales, disparities: scales.map { byScale[$0]! })
    }
}
