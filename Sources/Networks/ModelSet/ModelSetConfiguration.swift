import Options

/// Which networks a Monodepth2 model set has and how they are shaped: trainer.py `__init__`'s
/// `self.models` (encoder, depth, then pose_encoder and pose, or pose alone, then predictive_mask),
/// or the pair test_simple.py / evaluate_depth.py build (encoder and depth), or the pair
/// evaluate_pose.py builds (pose_encoder and pose).
public struct ModelSetConfiguration: Equatable, Sendable {
    /// `--num_layers`: the ResNet of the depth encoder and of a separate pose encoder.
    public var resnetDepth: ResNetDepth
    /// The scales the depth decoder (and a predictive mask) outputs.
    public var scales: [Int]
    /// The pose network; nil when there is none (stereo-only training, depth inference).
    public var pose: PoseNetworkConfiguration?
    /// `--predictive_mask`: the mask decoder's output channels (`len(frame_ids) - 1`, the stereo
    /// frame counted); nil without one.
    public var predictiveMaskChannels: Int?

    public init(resnetDepth: ResNetDepth = .resnet18, scales: [Int] = [0, 1, 2, 3],
                pose: PoseNetworkConfiguration? = nil, predictiveMaskChannels: Int? = nil) {
        self.resnetDepth = resnetDepth
        self.scales = scales
        self.pose = pose
        self.predictiveMaskChannels = predictiveMaskChannels
    }

    /// The encoder and depth decoder of test_simple.py and evaluate_depth.py (all four scales).
    public static func depth(_ resnetDepth: ResNetDepth = .resnet18) -> ModelSetConfiguration {
        ModelSetConfiguration(resnetDepth: resnetDepth)
    }

    /// The networks of `train` for `frameOffsets` (`--frame_ids` as given), `useStereo` and the
    /// pose options, as trainer.py derives them: no pose network for stereo-only training, two
    /// pose frames for `pairs`, else every temporal frame.
    public init(resnetDepth: ResNetDepth, scales: [Int], frameOffsets: [Int], useStereo: Bool,
                poseModelType: PoseModelType, poseModelInput: PoseModelInput, predictiveMask: Bool) {
        let usesPoseNetwork = !(useStereo && frameOffsets == [0])
        let poseFrames = poseModelInput == .pairs ? 2 : frameOffsets.count
        let sourceFrames = frameOffsets.count - 1 + (useStereo ? 1 : 0)
        self.init(resnetDepth: resnetDepth, scales: scales,
                  pose: usesPoseNetwork ? PoseNetworkConfiguration(type: poseModelType, inputFrames: poseFrames) : nil,
                  predictiveMaskChannels: predictiveMask ? sourceFrames : nil)
    }

    /// The networks `train` builds for `options` (`--num_layers` is one of 18, 34, 50, 101, 152:
    /// the option table's choices, checked when the command line is parsed).
    public init(options o: MonodepthOptions) {
        guard let depth = ResNetDepth(rawValue: o.numLayers) else {
            preconditionFailure("ModelSetConfiguration: --num_layers \(o.numLayers) (parse the options first)")
        }
        self.init(resnetDepth: depth, scales: o.scales, frameOffsets: o.frameIDs, useStereo: o.useStereo,
                  poseModelType: o.poseModelType, poseModelInput: o.poseModelInput, predictiveMask: o.predictiveMask)
    }

    /// The networks' names in the trainer's order: its `models` keys, the `.pth` stems of a weights
    /// folder, and Adam's parameter order.
    public var names: [ModelName] {
        var names: [ModelName] = [.encoder, .depth]
        if let pose {
            if pose.type == .separateResnet { names.append(.poseEncoder) }
            names.append(.pose)
        }
        if predictiveMaskChannels != nil { names.append(.predictiveMask) }
        return names
    }

    /// Throws the options error naming the first of `requested` (`--models_to_load`) that this
    /// set does not have.
    public func requireNetworks(_ requested: [ModelName]) throws(OptionsError) {
        let built = names
        if let missing = requested.first(where: { !built.contains($0) }) {
            throw .modelNotBuilt(missing, built: built)
        }
    }
}

/// The pose network of a model set.
public struct PoseNetworkConfiguration: Equatable, Sendable {
    /// `--pose_model_type`.
    public var type: PoseModelType
    /// `num_pose_frames`: the frames one pose prediction sees (2 for `pairs`, else every temporal frame).
    public var inputFrames: Int

    public init(type: PoseModelType, inputFrames: Int) {
        self.type = type
        self.inputFrames = inputFrames
    }

    /// evaluate_pose.py's: a separate ResNet encoder on two frames and `PoseDecoder(num_ch_enc, 1, 2)`.
    public static let separatePairs = PoseNetworkConfiguration(type: .separateResnet, inputFrames: 2)
}
