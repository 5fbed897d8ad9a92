/// What the trainer derives from the options at its start (trainer.py `__init__`, in this order).
public struct DerivedOptions: Sendable, Equatable {
    /// `len(frame_ids)` before `"s"` is appended.
    public var numInputFrames: Int
    /// 2 for `--pose_model_input pairs`, else `numInputFrames`.
    public var numPoseFrames: Int
    /// False only for stereo-only training (`--use_stereo --frame_ids 0`).
    public var usePoseNet: Bool
    /// The frames a sample holds: `--frame_ids`, then `"s"` under `--use_stereo`.
    public var frameIDs: [FrameID]
    /// `len(scales)`.
    public var numScales: Int
}

extension MonodepthOptions {
    /// The trainer's derived values, computed as trainer.py does: the frame counts before the stereo
    /// frame is appended.
    public var derived: DerivedOptions {
        let numInputFrames = frameIDs.count
        let numPoseFrames = poseModelInput == .pairs ? 2 : numInputFrames
        let usePoseNet = !(useStereo && frameIDs == [0])
        var frames = frameIDs.map(FrameID.offset)
        if useStereo { frames.append(.stereo) }
        return DerivedOptions(numInputFrames: numInputFrames, numPoseFrames: numPoseFrames,
                              usePoseNet: usePoseNet, frameIDs: frames, numScales: scales.count)
    }
}
