import Networks
import TensorCore

/// The pose network the configuration asks for.
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

/// The trainer's `models` dictionary, in its construction order (= Adam's parameter order and the
/// checkpoint file names): encoder, depth, pose_encoder, pose, predictive_mask.
public final class MonodepthModels {
    public let encoder: ResnetEncoder
    public let depth: DepthDecoder
    public let poseEncoder: ResnetEncoder?
    public let pose: PoseNetwork?
    /// `--predictive_mask`: a depth decoder with one output channel per source frame.
    public let predictiveMask: DepthDecoder?

    public init(encoder: ResnetEncoder, depth: DepthDecoder, poseEncoder: ResnetEncoder?, pose: PoseNetwork?,
                predictiveMask: DepthDecoder?) {
        self.encoder = encoder; self.depth = depth; self.poseEncoder = poseEncoder; self.pose = pose
        self.predictiveMask = predictiveMask
    }

    /// The networks `configuration` needs, with placeholder weights (fill or load them afterwards).
    public convenience init(configuration c: StepConfiguration, on backend: any Backend = CPUBackend.shared) {
        let encoder = ResnetEncoder(depth: c.resnetDepth, on: backend)
        let channels = encoder.featureChannels
        let depth = DepthDecoder(encoderChannels: channels, scales: c.scales, on: backend)
        var poseEncoder: ResnetEncoder?
        var pose: PoseNetwork?
        if c.usesPoseNetwork {
            switch c.poseModelType {
            case .separateResnet:
                poseEncoder = ResnetEncoder(depth: c.resnetDepth, inputImages: c.poseFrames, on: backend)
                pose = .decoder(PoseDecoder(encoderChannels: channels, inputFeatures: 1, frames: 2, on: backend))
            case .shared:
                pose = .decoder(PoseDecoder(encoderChannels: channels, inputFeatures: c.poseFrames, on: backend))
            case .posecnn:
                pose = .cnn(PoseCNN(inputFrames: c.poseModelInput == .all ? c.frameOffsets.count : 2, on: backend))
            }
        }
        let mask = c.predictiveMask
            ? DepthDecoder(encoderChannels: channels, scales: c.scales, outputChannels: c.sourceFrames.count, on: backend)
            : nil
        self.init(encoder: encoder, depth: depth, poseEncoder: poseEncoder, pose: pose, predictiveMask: mask)
    }

    /// (name, network) in the trainer's order; names are the checkpoint file stems.
    public var named: [(name: String, module: any Module)] {
        var list: [(String, any Module)] = [("encoder", encoder), ("depth", depth)]
        if let poseEncoder { list.append(("pose_encoder", poseEncoder)) }
        if let pose { list.append(("pose", pose.module)) }
        if let predictiveMask { list.append(("predictive_mask", predictiveMask)) }
        return list
    }

    /// `parameters_to_train`, in order.
    public var parameters: [Parameter] { named.flatMap { $0.module.parameters() } }

    public func train() { for (_, m) in named { m.train() } }
    public func eval() { for (_, m) in named { m.eval() } }

    /// The L2 norm of each network's accumulated gradient (parameters without one count 0).
    public func gradientNorms() -> [(name: String, norm: Double)] {
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
