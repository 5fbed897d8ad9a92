import KITTIData
import Layers
import Networks
import TensorCore

/// `predict_poses` results per temporal source frame: the pose network's whole outputs
/// (B, frames, 1, 3) and the camera transform target → source (B, 4, 4).
public struct PosePredictions {
    public var axisangles: [Int: Tensor] = [:]
    public var translations: [Int: Tensor] = [:]
    public var transforms: [Int: Tensor] = [:]
    public init(axisangles: [Int: Tensor] = [:], translations: [Int: Tensor] = [:], transforms: [Int: Tensor] = [:]) {
        self.axisangles = axisangles; self.translations = translations; self.transforms = transforms
    }
}

/// What the networks predict in one step (the input of `MonodepthStep.objective`).
public struct StepPredictions {
    public var disparities: DepthOutputs
    public var predictiveMasks: DepthOutputs?
    public var poses: PosePredictions
    public init(disparities: DepthOutputs, predictiveMasks: DepthOutputs? = nil, poses: PosePredictions = PosePredictions()) {
        self.disparities = disparities; self.predictiveMasks = predictiveMasks; self.poses = poses
    }
}

extension MonodepthStep {
    /// trainer.py `predict_poses`. Pairs in temporal order with the transform
    /// inverted for negative offsets; `all` (more than two pose frames) in one pass, transform i
    /// for the i-th source frame, never inverted.
    func predictPoses(_ batch: Batch, frameFeatures: [FrameID: [Tensor]]) -> PosePredictions {
        let c = configuration
        var result = PosePredictions()
        if c.poseFrames == 2 {
            for offset in c.temporalSources {
                let pair: [FrameID] = offset < 0 ? [.offset(offset), .offset(0)] : [.offset(0), .offset(offset)]
                let out = runPoseNetwork(pair, batch: batch, frameFeatures: frameFeatures)
                result.axisangles[offset] = out.axisangle
                result.translations[offset] = out.translation
                result.transforms[offset] = transformationFromParameters(
                    axisangle: out.axisangle.selecting(1, 0), translation: out.translation.selecting(1, 0), invert: offset < 0)
            }
        } else {
            let out = runPoseNetwork(c.frameOffsets.map { .offset($0) }, batch: batch, frameFeatures: frameFeatures)
            for (i, f) in c.sourceFrames.enumerated() {
                guard case let .offset(offset) = f else { continue }
                result.axisangles[offset] = out.axisangle
                result.translations[offset] = out.translation
                result.transforms[offset] = transformationFromParameters(
                    axisangle: out.axisangle.selecting(1, i), translation: out.translation.selecting(1, i))
            }
        }
        return result
    }

    /// The pose network on `frames` (channel-concatenated augmented images, or the shared
    /// encoder's features).
    private func runPoseNetwork(_ frames: [FrameID], batch: Batch, frameFeatures: [FrameID: [Tensor]]) -> PoseOutputs {
        guard let pose = models.pose else { preconditionFailure("MonodepthStep: no pose network") }
        switch (pose, configuration.poseModelType) {
        case let (.decoder(decoder), .shared):
            return decoder(frames.map { frameFeatures[$0]! })
        case let (.decoder(decoder), _):
            guard let encoder = models.poseEncoder else { preconditionFailure("MonodepthStep: no pose encoder") }
            return decoder([encoder(concat(frames.map { batch.colorAug($0, scale: 0) }, axis: 1))])
        case let (.cnn(cnn), _):
            return cnn(concat(frames.map { batch.colorAug($0, scale: 0) }, axis: 1))
        }
    }
}
