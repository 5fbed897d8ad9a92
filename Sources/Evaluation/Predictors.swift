import Foundation
import KITTIData

/// A depth network that evaluate can run on a test list (plugged in by the executable once
/// Networks can load checkpoints). Mirrors the model branch of `evaluate_depth.py evaluate`
/// (`opt.ext_disp_to_eval is None`).
public protocol DisparityPredictor {
    /// Loads `encoder.pth` and `depth.pth` from `weightsFolder` (ResnetEncoder(numLayers,
    /// scratch), filtered load; DepthDecoder strict) and returns the feed size stored in
    /// encoder.pth (`height`, `width`), which evaluate prints.
    mutating func load(weightsFolder: URL, numLayers: Int) throws -> (width: Int, height: Int)

    /// Scaled disparities (`disp_to_depth(("disp", 0), minDepth, maxDepth)[0]`, N x H x W) of
    /// every entry, in order, from `data_path/folder/image_0{2|3}/data/{frame:010d}.jpg`
    /// (always .jpg, like the original), batches of 16 with the last one partial. With
    /// `postProcess`, each batch also runs on the flipped images and the two are merged with
    /// `PostProcess.blend` (float64 result, as NumPy promotes it).
    func predictDisparities(entries: [SplitEntry], dataPath: URL, postProcess: Bool,
                            minDepth: Double, maxDepth: Double,
                            progress: (@Sendable (Int, Int) -> Void)?) throws -> Disparities
}

/// A pose network for odometry evaluation (`evaluate_pose.py evaluate`).
public protocol PosePredictor {
    /// Loads `pose_encoder.pth` (ResnetEncoder(numLayers, scratch, 2)) and `pose.pth`
    /// (PoseDecoder(num_ch_enc, 1, 2)), both strict.
    mutating func load(weightsFolder: URL, numLayers: Int) throws

    /// One float32-valued 4x4 transform per entry (`transformation_from_parameters(axisangle[:, 0],
    /// translation[:, 0])` of frames (0, 1) concatenated), at `height x width`, in batches of
    /// `batchSize`, in order.
    func predictPoses(entries: [SplitEntry], dataPath: URL, height: Int, width: Int, batchSize: Int,
                      progress: (@Sendable (Int, Int) -> Void)?) throws -> [Matrix4]
}
