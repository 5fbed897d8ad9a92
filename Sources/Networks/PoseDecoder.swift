import TensorCore

/// Relative camera motions predicted by a pose network, Monodepth2's `(axisangle, translation)`:
/// both (B, frames, 1, 3); `axisangle` is an axis·angle rotation in radians, `translation` in the
/// network's (scale-ambiguous) units. Both are already multiplied by 0.01.
public struct PoseOutputs {
    public let axisangle: Tensor
    public let translation: Tensor

    public init(axisangle: Tensor, translation: Tensor) {
        self.axisangle = axisangle
        self.translation = translation
    }

    /// Splits a (B, 6·frames) map of raw means into `PoseOutputs` as the original does:
    /// ×0.01, view (B, frames, 1, 6), [..., :3] and [..., 3:].
    static func fromMeans(_ means: Tensor, frames: Int) -> PoseOutputs {
        let out = (0.01 * means).reshaped([-1, frames, 1, 6])
        return PoseOutputs(axisangle: out.narrowed(3, start: 0, length: 3),
                           translation: out.narrowed(3, start: 3, length: 3))
    }
}

/// Monodepth2's `PoseDecoder(num_ch_enc, num_input_features, num_frames_to_predict_for, stride)`.
/// Keys `net.0` squeeze 1×1 C→256, `net.1` pose0 3×3 (256·inputs→256), `net.2` pose1 3×3 256→256,
/// `net.3` pose2 1×1 256→6·frames; all with bias; pose0/pose1 use `stride` and padding 1.
public final class PoseDecoder: Module {
    public let inputFeatures: Int
    public let frames: Int
    public let squeeze: Conv2d
    public let pose0: Conv2d, pose1: Conv2d, pose2: Conv2d

    /// PyTorch's default initialisation drawn from `generator`.
    /// - Parameter frames: `num_frames_to_predict_for`; nil means `inputFeatures − 1`.
    public convenience init(encoderChannels: [Int], inputFeatures: Int, frames: Int? = nil, stride: Int = 1,
                            generator: inout RandomGenerator, on backend: any Backend = CPUBackend.shared) {
        var w = WeightInitializer(generator: generator, backend: backend)
        self.init(encoderChannels: encoderChannels, inputFeatures: inputFeatures, frames: frames, stride: stride,
                  initializer: &w)
        generator = w.generator!
    }

    /// Placeholder (zero) weights for loading a checkpoint.
    public convenience init(encoderChannels: [Int], inputFeatures: Int, frames: Int? = nil, stride: Int = 1,
                            on backend: any Backend = CPUBackend.shared) {
        var w = WeightInitializer(generator: nil, backend: backend)
        self.init(encoderChannels: encoderChannels, inputFeatures: inputFeatures, frames: frames, stride: stride,
                  initializer: &w)
    }

    init(encoderChannels: [Int], inputFeatures: Int, frames: Int?, stride: Int, initializer w: inout WeightInitializer) {
        let frames = frames ?? inputFeatures - 1
        precondition(!encoderChannels.isEmpty && inputFeatures >= 1 && frames >= 1 && stride >= 1,
                     "PoseDecoder: channels \(encoderChannels), \(inputFeatures) inputs, \(frames) frames, stride \(stride)")
        self.inputFeatures = inputFeatures
        self.frames = frames
        squeeze = w.defaultConv(encoderChannels.last!, 256, kernel: 1)
        pose0 = w.defaultConv(inputFeatures * 256, 256, kernel: 3, stride: stride, padding: 1)
        pose1 = w.defaultConv(256, 256, kernel: 3, stride: stride, padding: 1)
        pose2 = w.defaultConv(256, 6 * frames, kernel: 1)
    }

    public var entries: [ModuleEntry] { [.child("net", ModuleList([squeeze, pose0, pose1, pose2]))] }

    /// inputs: `inputFeatures` encoder feature lists (only each last map is used) → poses.
    public func callAsFunction(_ inputs: [[Tensor]]) -> PoseOutputs {
        precondition(inputs.count == inputFeatures && inputs.allSatisfy { !$0.isEmpty },
                     "PoseDecoder: \(inputs.count) feature lists, expected \(inputFeatures)")
        let squeezed = inputs.map { squeeze($0[$0.count - 1]).relu() }
        var out = squeezed.count == 1 ? squeezed[0] : concat(squeezed, axis: 1)
        out = pose0(out).relu()
        out = pose1(out).relu()
        out = pose2(out)
        // out.mean(3).mean(2)
        let means = out.mean(axes: [3]).mean(axes: [2])
        return PoseOutputs.fromMeans(means, frames: frames)
    }
}
