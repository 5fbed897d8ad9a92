import Networks
import Options
import TensorCore

/// The trainer's networks (trainer.py `__init__`, MONODEPTH2.md §4.1) with PyTorch's scratch
/// initialisation drawn from the run's seed, then `--weights_init pretrained` (torchvision's
/// ImageNet ResNet from the usual cache) for the ResNet encoders.
public enum TrainerModelFactory {
    /// Builds the networks for `configuration`, initialised from `seed`.
    public static func scratch(_ c: StepConfiguration, seed: UInt64, on backend: any Backend = CPUBackend.shared) -> MonodepthModels {
        var generator = RandomGenerator(seed: TrainerSeeds.initialisation(seed: seed))
        let encoder = ResnetEncoder(depth: c.resnetDepth, generator: &generator, on: backend)
        let channels = encoder.featureChannels
        let depth = DepthDecoder(encoderChannels: channels, scales: c.scales, generator: &generator, on: backend)
        var poseEncoder: ResnetEncoder?
        var pose: PoseNetwork?
        if c.usesPoseNetwork {
            switch c.poseModelType {
            case .separateResnet:
                poseEncoder = ResnetEncoder(depth: c.resnetDepth, inputImages: c.poseFrames, generator: &generator, on: backend)
                pose = .decoder(PoseDecoder(encoderChannels: channels, inputFeatures: 1, frames: 2, generator: &generator, on: backend))
            case .shared:
                pose = .decoder(PoseDecoder(encoderChannels: channels, inputFeatures: c.poseFrames, generator: &generator, on: backend))
            case .posecnn:
                pose = .cnn(PoseCNN(inputFrames: c.poseModelInput == .all ? c.frameOffsets.count : 2, generator: &generator, on: backend))
            }
        }
        let mask = c.predictiveMask
            ? DepthDecoder(encoderChannels: channels, scales: c.scales, outputChannels: c.sourceFrames.count,
                           generator: &generator, on: backend)
            : nil
        return MonodepthModels(encoder: encoder, depth: depth, poseEncoder: poseEncoder, pose: pose, predictiveMask: mask)
    }

    /// `--weights_init pretrained`: torchvision's ImageNet weights into the depth encoder and the
    /// pose encoder (conv1 replicated over the pose frames). Returns the file used; a missing file
    /// is an error saying which file to put where.
    @discardableResult
    public static func loadPretrained(into models: MonodepthModels) throws -> String {
        let file = try PretrainedResNet.load(into: models.encoder)
        if let poseEncoder = models.poseEncoder { try PretrainedResNet.load(into: poseEncoder, explicit: file) }
        return file.path
    }
}
