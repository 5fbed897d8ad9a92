import ArrayIO
import Options

/// A weights folder read whole, with the model set its files describe: the ResNet depth, the depth
/// decoder's scales and the pose network are inferred from the keys and shapes (no options needed),
/// then every network is loaded strictly from the state dicts already read.
public struct LoadedModelSet {
    public let models: MonodepthModels
    /// `encoder.pth`'s height, width and use_stereo (nil when it has none).
    public let metadata: EncoderMetadata?
    /// The files the networks came from, by name.
    public let files: [(name: ModelName, path: String)]
}

extension WeightsFolder {
    /// Reads `encoder.pth` and `depth.pth`, and with `pose` also `pose.pth` (plus `pose_encoder.pth`
    /// for separate_resnet) when the folder has it; infers the architecture and loads strictly. Any
    /// problem is one `CheckpointError` naming the file (missing, truncated, unknown or mismatched keys).
    public func loadInferringArchitecture(pose: Bool) throws(CheckpointError) -> LoadedModelSet {
        let encoderDict = try read(.encoder)
        let depthDict = try read(.depth)
        let resnet = try ResNetDepth(inferredFrom: encoderDict, file: fileURL(.encoder).path)
        let scales = try DepthDecoder.inferredScales(depthDict, file: fileURL(.depth).path)
        var dicts: [ModelName: StateDict] = [.encoder: encoderDict, .depth: depthDict]
        var poseConfiguration: PoseNetworkConfiguration?
        if pose && contains(.pose) {
            let poseDict = try read(.pose)
            dicts[.pose] = poseDict
            var poseEncoderDict: StateDict?
            if contains(.poseEncoder) {
                poseEncoderDict = try read(.poseEncoder)
                dicts[.poseEncoder] = poseEncoderDict
            }
            poseConfiguration = try PoseNetworkConfiguration(inferredFrom: poseDict, file: fileURL(.pose).path,
                                                             poseEncoder: poseEncoderDict, poseEncoderFile: fileURL(.poseEncoder).path)
        } else if pose && contains(.poseEncoder) {
            throw .missingFile(file: fileURL(.pose).path, hint: "The folder has pose_encoder.pth but no pose.pth (the pose decoder)")
        }
        let configuration = ModelSetConfiguration(resnetDepth: resnet, scales: scales, pose: poseConfiguration)
        let models = MonodepthModels(configuration: configuration, initialisation: .placeholder)
        var metadata: EncoderMetadata?
        var files: [(name: ModelName, path: String)] = []
        for (name, module) in models.named {
            guard let dict = dicts[name] else { continue }
            let path = fileURL(name).path
            if name == .encoder { metadata = try EncoderMetadata(dict, file: path) }
            _ = try module.load(dict, file: path, mode: .strict, metadataKeys: name == .encoder ? EncoderMetadata.keys : [])
            files.append((name, path))
        }
        models.eval()
        return LoadedModelSet(models: models, metadata: metadata, files: files)
    }
}

extension ResNetDepth {
    /// The ResNet whose `encoder.layerK.N.*` blocks `stateDict` holds (bottlenecks when
    /// `encoder.layer1.0.conv3.weight` is present).
    public init(inferredFrom stateDict: StateDict, file: String) throws(CheckpointError) {
        let keys = Set(stateDict.keys)
        guard keys.contains("encoder.conv1.weight") else {
            throw .unrecognisedNetwork(file: file, problem: "no encoder.conv1.weight (a ResnetEncoder state dict has encoder.* keys)")
        }
        let bottleneck = keys.contains("encoder.layer1.0.conv3.weight")
        let counts = (1...4).map { stage in
            var blocks = 0
            while keys.contains("encoder.layer\(stage).\(blocks).conv1.weight") { blocks += 1 }
            return blocks
        }
        guard let match = ResNetDepth.allCases.first(where: { $0.blockCounts == counts && $0.usesBottleneck == bottleneck }) else {
            throw .unrecognisedNetwork(file: file, problem: "\(counts) \(bottleneck ? "bottleneck" : "basic") blocks per stage "
                + "match no ResNet 18/34/50/101/152")
        }
        self = match
    }
}

extension DepthDecoder {
    /// The scales of a depth decoder's state dict: one dispconv `decoder.N.conv.weight` (N = 10, 11, …)
    /// per scale, in order; scale s is the one whose input channels are `decoderChannels[s]`.
    public static func inferredScales(_ stateDict: StateDict, file: String) throws(CheckpointError) -> [Int] {
        var scales: [Int] = []
        while let weight = stateDict["decoder.\(10 + scales.count).conv.weight"] {
            guard weight.shape.count == 4, let scale = decoderChannels.firstIndex(of: weight.shape[1]), scale <= 3,
                  !scales.contains(scale) else {
                throw .unrecognisedNetwork(file: file, problem: "decoder.\(10 + scales.count).conv.weight has shape \(weight.shape)")
            }
            scales.append(scale)
        }
        guard !scales.isEmpty else {
            throw .unrecognisedNetwork(file: file, problem: "no decoder.10.conv.weight (a DepthDecoder state dict has decoder.0 … decoder.13)")
        }
        return scales
    }
}

extension PoseNetworkConfiguration {
    /// The pose network of `pose.pth`: posecnn (`pose_conv.*`), separate_resnet (a `pose_encoder.pth`
    /// beside it) or shared (a PoseDecoder on the depth encoder's features of every frame).
    public init(inferredFrom pose: StateDict, file: String, poseEncoder: StateDict?, poseEncoderFile: String) throws(CheckpointError) {
        if let weight = pose["net.0.weight"], pose["pose_conv.weight"] != nil {
            guard weight.shape.count == 4, weight.shape[1] % 3 == 0, weight.shape[1] >= 6 else {
                throw .unrecognisedNetwork(file: file, problem: "PoseCNN net.0.weight has shape \(weight.shape)")
            }
            self.init(type: .posecnn, inputFrames: weight.shape[1] / 3)
        } else if let poseEncoder {
            guard let conv1 = poseEncoder["encoder.conv1.weight"], conv1.shape.count == 4, conv1.shape[1] % 3 == 0,
                  conv1.shape[1] >= 6 else {
                throw .unrecognisedNetwork(file: poseEncoderFile, problem: "encoder.conv1.weight "
                    + "\(poseEncoder["encoder.conv1.weight"]?.shape.description ?? "absent") is not a pose encoder's (64, 3·frames, 7, 7)")
            }
            self.init(type: .separateResnet, inputFrames: conv1.shape[1] / 3)
        } else if let pose0 = pose["net.1.weight"], pose["net.0.weight"] != nil {
            guard pose0.shape.count == 4, pose0.shape[1] % 256 == 0, pose0.shape[1] >= 512 else {
                throw .unrecognisedNetwork(file: file, problem: "net.1.weight has shape \(pose0.shape) (a shared pose decoder "
                    + "takes 256 channels per frame; or put the separate pose encoder's pose_encoder.pth beside it)")
            }
            self.init(type: .shared, inputFrames: pose0.shape[1] / 256)
        } else {
            throw .unrecognisedNetwork(file: file, problem: "neither a PoseDecoder (net.0 … net.3) nor a PoseCNN (pose_conv, net.0 … net.6)")
        }
    }
}
