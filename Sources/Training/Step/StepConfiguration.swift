import KITTIData
import Networks
import Options

// The frame and pose-model vocabulary is shared with the data loader (KITTIData) and the options
// (Options); these aliases make it Training's own names too, so callers importing only Training see one.
public typealias FrameID = Options.FrameID
public typealias PoseModelType = Options.PoseModelType
public typealias PoseModelInput = Options.PoseModelInput

/// Everything the training step needs to know (the subset of the original options that shapes the
/// networks, the warp and the losses), typed.
public struct StepConfiguration: Sendable {
    public var height: Int
    public var width: Int
    public var batchSize: Int
    public var scales: [Int]
    /// `--frame_ids` as given (temporal offsets, the target 0 first); the stereo frame is added by
    /// `useStereo`.
    public var frameOffsets: [Int]
    public var useStereo: Bool
    public var resnetDepth: ResNetDepth
    public var minDepth: Double
    public var maxDepth: Double
    public var disparitySmoothness: Float
    public var poseModelType: PoseModelType
    public var poseModelInput: PoseModelInput
    public var predictiveMask: Bool
    public var v1Multiscale: Bool
    public var avgReprojection: Bool
    public var disableAutomasking: Bool
    public var noSSIM: Bool
    /// The automask's 1e-5·N(0,1) tie-break noise (off only for parity with the zero-noise fixtures).
    public var tieBreakNoise: Bool
    public var learningRate: Double

    /// The original defaults: 192×640, batch 12, scales 0–3, frames 0 −1 1, mono, ResNet-18.
    public init(height: Int = 192, width: Int = 640, batchSize: Int = 12, scales: [Int] = [0, 1, 2, 3],
                frameOffsets: [Int] = [0, -1, 1], useStereo: Bool = false, resnetDepth: ResNetDepth = .resnet18,
                minDepth: Double = 0.1, maxDepth: Double = 100, disparitySmoothness: Float = 1e-3,
                poseModelType: PoseModelType = .separateResnet, poseModelInput: PoseModelInput = .pairs,
                predictiveMask: Bool = false, v1Multiscale: Bool = false, avgReprojection: Bool = false,
                disableAutomasking: Bool = false, noSSIM: Bool = false, tieBreakNoise: Bool = true,
                learningRate: Double = 1e-4) {
        self.height = height; self.width = width; self.batchSize = batchSize; self.scales = scales
        self.frameOffsets = frameOffsets; self.useStereo = useStereo; self.resnetDepth = resnetDepth
        self.minDepth = minDepth; self.maxDepth = maxDepth; self.disparitySmoothness = disparitySmoothness
        self.poseModelType = poseModelType; self.poseModelInput = poseModelInput; self.predictiveMask = predictiveMask
        self.v1Multiscale = v1Multiscale; self.avgReprojection = avgReprojection
        self.disableAutomasking = disableAutomasking; self.noSSIM = noSSIM; self.tieBreakNoise = tieBreakNoise
        self.learningRate = learningRate
    }

    /// The frames in the original's `frame_ids` order after `--use_stereo` appends "s".
    public var frames: [FrameID] { frameOffsets.map { .offset($0) } + (useStereo ? [.stereo] : []) }
    /// `frame_ids[1:]`: the frames warped onto the target.
    public var sourceFrames: [FrameID] { Array(frames.dropFirst()) }
    /// The temporal source frames (those with a predicted pose).
    public var temporalSources: [Int] { Array(frameOffsets.dropFirst()) }
    /// `use_pose_net`: false only for stereo training without temporal frames.
    public var usesPoseNetwork: Bool { !(useStereo && frameOffsets == [0]) }
    /// `num_pose_frames`: 2 for pairs, else every temporal frame.
    public var poseFrames: Int { poseModelInput == .pairs ? 2 : frameOffsets.count }
    /// The networks this configuration trains.
    public var modelSet: ModelSetConfiguration {
        ModelSetConfiguration(resnetDepth: resnetDepth, scales: scales, frameOffsets: frameOffsets, useStereo: useStereo,
                              poseModelType: poseModelType, poseModelInput: poseModelInput, predictiveMask: predictiveMask)
    }

    /// Checks the combinations the original asserts or cannot run; nil when valid.
    public var problem: String? {
        if height % 32 != 0 || width % 32 != 0 {
            return "height and width must be positive multiples of 32, got \(height)x\(width)"
        }
        return objectiveProblem
    }

    /// `problem` without the networks' multiple-of-32 size rule (the losses alone only need every
    /// scale to halve exactly).
    public var objectiveProblem: String? {
        let factor = 1 << (scales.max() ?? 0)
        if height <= 0 || width <= 0 || height % factor != 0 || width % factor != 0 {
            return "height and width must be positive multiples of \(factor), got \(height)x\(width)"
        }
        if batchSize < 1 { return "batch size must be positive, got \(batchSize)" }
        if frameOffsets.first != 0 { return "frame_ids must start with 0, got \(frameOffsets)" }
        if Set(frameOffsets).count != frameOffsets.count { return "frame_ids must be distinct, got \(frameOffsets)" }
        if sourceFrames.isEmpty { return "no source frame to warp: give temporal frame ids or --use_stereo" }
        if scales.isEmpty || !scales.allSatisfy({ (0...3).contains($0) }) || Set(scales).count != scales.count {
            return "scales must be distinct values in 0...3, got \(scales)"
        }
        if !v1Multiscale && !scales.contains(0) {
            return "scales must include 0 without --v1_multiscale (the losses warp at scale 0), got \(scales)"
        }
        if predictiveMask && !disableAutomasking {
            return "--predictive_mask needs --disable_automasking (as the original asserts)"
        }
        if poseModelType == .posecnn && useStereo && usesPoseNetwork {
            return "posecnn with --use_stereo is not supported by the original (no pose for frame \"s\")"
        }
        if !(minDepth > 0 && maxDepth > minDepth) { return "min/max depth \(minDepth)/\(maxDepth)" }
        return nil
    }
}

extension StepConfiguration {
    /// The step's view of the parsed original options (`tieBreakNoise` is not an option of the
    /// original: it is always on there). `numLayers` must be one of 18, 34, 50, 101, 152 (the
    /// options validation checks it).
    public init(options o: MonodepthOptions, tieBreakNoise: Bool = true) {
        guard let depth = ResNetDepth(rawValue: o.numLayers) else {
            preconditionFailure("StepConfiguration: --num_layers \(o.numLayers) (validate the options first)")
        }
        self.init(height: o.height, width: o.width, batchSize: o.batchSize, scales: o.scales, frameOffsets: o.frameIDs,
                  useStereo: o.useStereo, resnetDepth: depth, minDepth: o.minDepth, maxDepth: o.maxDepth,
                  disparitySmoothness: Float(o.disparitySmoothness), poseModelType: o.poseModelType,
                  poseModelInput: o.poseModelInput, predictiveMask: o.predictiveMask, v1Multiscale: o.v1Multiscale,
                  avgReprojection: o.avgReprojection, disableAutomasking: o.disableAutomasking, noSSIM: o.noSSIM,
                  tieBreakNoise: tieBreakNoise, learningRate: o.learningRate)
    }
}
