import Options
import TensorCore

/// The pose network of a model set.
public enum PoseNetwork {
    /// separate_resnet (with `MonodepthModels.poseEncoder`) or shared (on the depth encoder's features).
    case decoder(PoseDecoder)
    /// posecnn.
    case cnn(PoseCNN)

    public var module: any Module {
        switch self {
        case let .decoder(d): return d
        case let .cnn(c): return c
        }
    }
}

/// Where a model set's initial weights come from.
public enum ModelInitialisation: Sendable {
    /// Cheap placeholders (zeros; BatchNorm weight 1, bias 0, running mean 0, variance 1), for
    /// networks a weights folder overwrites entirely.
    case placeholder
    /// PyTorch's and torchvision's scratch initialisation, drawn in the trainer's construction
    /// order from one generator seeded with `generatorSeed`.
    case scratch(generatorSeed: UInt64)
}

/// A Monodepth2 model set: trainer.py's `models` dictionary in its construction order (= Adam's
/// parameter order and the weights folder's file names): encoder, depth, pose_encoder, pose,
/// predictive_mask; or the subset a tool needs (`ModelSetConfiguration`). Built here only.
///
/// ```swift
/// let models = MonodepthModels(configuration: .depth(), initialisation: .placeholder)
/// let metadata = try WeightsFolder(url).load(into: models)       // strict; height/width kept
/// ```
public final class MonodepthModels {
    public let configuration: ModelSetConfiguration
    public let encoder: ResnetEncoder
    public let depth: DepthDecoder
    public let poseEncoder: ResnetEncoder?
    public let pose: PoseNetwork?
    /// `--predictive_mask`: a depth decoder with one output channel per source frame.
    public let predictiveMask: DepthDecoder?

    /// Builds the networks of `configuration` on `backend`.
    public init(configuration c: ModelSetConfiguration, initialisation: ModelInitialisation,
                on backend: any Backend = CPUBackend.shared) {
        var w: WeightInitializer
        switch initialisation {
        case .placeholder: w = WeightInitializer(generator: nil, backend: backend)
        case .scratch(let seed): w = WeightInitializer(generator: RandomGenerator(seed: seed), backend: backend)
        }
        configuration = c
        encoder = ResnetEncoder(depth: c.resnetDepth, inputImages: 1, initializer: &w)
        let channels = encoder.featureChannels
        depth = DepthDecoder(encoderChannels: channels, scales: c.scales, outputChannels: 1, usesSkips: true, initializer: &w)
        switch c.pose?.type {
        case nil:
            poseEncoder = nil
            pose = nil
        case .separateResnet?:
            let frames = c.pose?.inputFrames ?? 2
            poseEncoder = ResnetEncoder(depth: c.resnetDepth, inputImages: frames, initializer: &w)
            pose = .decoder(PoseDecoder(encoderChannels: channels, inputFeatures: 1, frames: 2, stride: 1, initializer: &w))
        case .shared?:
            poseEncoder = nil
            pose = .decoder(PoseDecoder(encoderChannels: channels, inputFeatures: c.pose?.inputFrames ?? 2, frames: nil,
                                        stride: 1, initializer: &w))
        case .posecnn?:
            poseEncoder = nil
            pose = .cnn(PoseCNN(inputFrames: c.pose?.inputFrames ?? 2, initializer: &w))
        }
        predictiveMask = c.predictiveMaskChannels.map {
            DepthDecoder(encoderChannels: channels, scales: c.scales, outputChannels: $0, usesSkips: true, initializer: &w)
        }
    }

    /// `--weights_init pretrained`: the scratch initialisation, then torchvision's ImageNet weights
    /// in the depth encoder and a separate pose encoder (conv1 replicated over the pose frames). A
    /// missing or unreadable ImageNet file is an error saying which file to put where.
    public static func pretrained(configuration: ModelSetConfiguration, generatorSeed: UInt64,
                                  on backend: any Backend = CPUBackend.shared) throws(CheckpointError) -> MonodepthModels {
        let models = MonodepthModels(configuration: configuration, initialisation: .scratch(generatorSeed: generatorSeed), on: backend)
        let file = try PretrainedResNet.load(into: models.encoder)
        if let poseEncoder = models.poseEncoder { try PretrainedResNet.load(into: poseEncoder, explicit: file) }
        return models
    }

    /// (name, network) in the trainer's order; the names are the weights folder's file stems.
    public var named: [(name: ModelName, module: any Module)] {
        var list: [(ModelName, any Module)] = [(.encoder, encoder), (.depth, depth)]
        if let poseEncoder { list.append((.poseEncoder, poseEncoder)) }
        if let pose { list.append((.pose, pose.module)) }
        if let predictiveMask { list.append((.predictiveMask, predictiveMask)) }
        return list
    }

    /// The network called `name`, if the set has it.
    public func network(_ name: ModelName) -> (any Module)? { named.first { $0.name == name }?.module }

    /// `parameters_to_train`, in order.
    public var parameters: [Parameter] { named.flatMap { $0.module.parameters() } }

    public func train() { for (_, m) in named { m.train() } }
    public func eval() { for (_, m) in named { m.eval() } }

    /// The L2 norm of each network's accumulated gradient (parameters without one count 0).
    public func gradientNorms() -> [(name: ModelName, norm: Double)] {
        named.map { entry in
            var sum = 0.0
            for p in entry.module.parameters() {
                guard let g = p.grad else { continue }
                sum += Double(g.squared().sum().scalar())
            }
            return (entry.name, sum.squareRoot())
        }
    }
}
